package ar.loteria.central.reactor;

/**
 * What a connection's session has said of its peer. It decides how long the peer may take to say
 * who it is, how much input it may hold, how much output it may leave unread, and whether a
 * newcomer may displace it when a cap is reached.
 */
enum Standing {
    /** Nothing said yet: closed at the handshake deadline (held, if silent), small input buffers only, displaced first. */
    STRANGER,
    /** Served without a handshake (the echo): the ordinary timeouts; large buffers only from the guests' share; may be displaced. */
    GUEST,
    /** Proved who it is: never displaced by a newcomer, large buffers from the whole budget, its share of output whatever others hold. */
    AUTHENTICATED
}
