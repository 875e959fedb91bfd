package io.wsbench.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;
import io.wsbench.servers.EchoServers;
import io.wsbench.servers.python.ChildProcessServer;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of the machine beyond a JDK and Maven (Debian's Python packages, network namespaces,
 * BoringSSL). On a developer's machine without it the test is reported as not run, naming what to install; where it
 * is required — {@code CI=true} (what {@code .ci/run} runs under) or {@code -Dwsbench.requireMachine=true} — its
 * absence fails the test, so CI can never pass without running it.
 */
public final class MachineRequirement {
    /** Makes every machine requirement a failure instead of a skip, as {@code CI=true} does. */
    public static final String REQUIRE_PROPERTY = "wsbench.requireMachine";

    private MachineRequirement() {
    }

    /** Whether a missing requirement fails (CI) rather than skips (a developer's machine). */
    public static boolean required() {
        return Boolean.getBoolean(REQUIRE_PROPERTY) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Goes on when {@code available}; otherwise skips the test, or fails it where requirements are required.
     *
     * @param missing what is missing and how to get it, e.g. "the Python packages: apt-get install ..."
     */
    public static void require(boolean available, String missing) {
        if (available) {
            return;
        }
        if (required()) {
            fail("this machine lacks " + missing + " (required here: CI=true or -D" + REQUIRE_PROPERTY + "=true)");
        }
        Assumptions.abort("not run: this machine lacks " + missing + " (CI=true makes it a failure)");
    }

    /** The Python servers' interpreter and packages (Debian's python3-* under /usr/bin/python3, or -Dwsbench.python). */
    public static void requirePythonServers() {
        for (String name : EchoServers.childProcessNames()) {
            try {
                ((ChildProcessServer) EchoServers.create(name, ServerConfig.defaults())).interpreter();
            } catch (ServerStartException e) {
                require(false, "what " + name + " needs: " + e.getMessage());
            }
        }
    }
}
