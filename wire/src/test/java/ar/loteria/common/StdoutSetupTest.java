package ar.loteria.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StdoutSetupTest {
    @Test
    void levelNamesOfPythonAndGoBothWork() {
        assertEquals("debug", StdoutSetup.tinylogLevel("TRACE"));
        assertEquals("debug", StdoutSetup.tinylogLevel("debug"));
        assertEquals("info", StdoutSetup.tinylogLevel("INFO"));
        assertEquals("warn", StdoutSetup.tinylogLevel("WARNING"));
        assertEquals("warn", StdoutSetup.tinylogLevel("warn"));
        assertEquals("error", StdoutSetup.tinylogLevel("CRITICAL"));
        assertEquals("error", StdoutSetup.tinylogLevel("PANIC"));
        assertEquals("error", StdoutSetup.tinylogLevel("FATAL"));
    }
}
