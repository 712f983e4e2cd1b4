package ar.loteria.central.reactor;

/** Makes the session of each accepted connection: the application's entry point into the reactor. */
@FunctionalInterface
public interface SessionFactory {
    Session open(Connection connection);
}
