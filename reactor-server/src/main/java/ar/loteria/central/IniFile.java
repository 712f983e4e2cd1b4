package ar.loteria.central;

import ar.loteria.common.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code [DEFAULT]} section of an INI file, read as Python's configparser reads it: keys
 * are case-insensitive, {@code key = value} or {@code key: value}, lines starting with
 * {@code #} or {@code ;} are comments.
 */
final class IniFile {
    private final Map<String, String> defaults;

    private IniFile(Map<String, String> defaults) {
        this.defaults = defaults;
    }

    /** A missing file reads as empty: the environment may give every setting. */
    static IniFile read(Path path) throws ConfigException {
        try {
            return parse(path.toString(), Files.readAllLines(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new IniFile(Map.of());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + path + ": " + e.getMessage());
        }
    }

    static IniFile parse(String name, List<String> lines) throws ConfigException {
        Map<String, String> defaults = new HashMap<>();
        String section = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new ConfigException(name + " line " + (i + 1) + ": unclosed section header: " + line);
                }
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int sep = separator(line);
            if (sep <= 0) {
                throw new ConfigException(name + " line " + (i + 1) + ": expected key = value: " + line);
            }
            if (section == null) {
                throw new ConfigException(name + " line " + (i + 1) + ": a setting before any section header");
            }
            if (section.equals("DEFAULT")) {
                defaults.put(line.substring(0, sep).strip().toUpperCase(Locale.ROOT), line.substring(sep + 1).strip());
            }
        }
        return new IniFile(defaults);
    }

    private static int separator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(defaults.get(key.toUpperCase(Locale.ROOT)));
    }
}
