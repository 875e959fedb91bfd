package io.wsbench.servers.python;

import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The classic article's FastAPI app ({@code fastapi_echo.py}: {@code /ws} answers each text message with
 * {@code "Echo: "} + the text) under uvicorn, as a child process: {@code python3 -m uvicorn fastapi_echo:app
 * --host 127.0.0.1 --port 0}, with uvicorn's defaults otherwise (one process; {@code --loop auto} and
 * {@code --http auto} take uvloop and httptools when installed, as Debian's packages are), the servers'
 * common message limit ({@code --ws-max-size}) and permessage-deflate as {@link ServerConfig#compression()}
 * says (off). Text only: the app reads text, so a binary message would end the connection. The path is
 * always {@code /ws}, the app's.
 */
public final class FastApiEchoServer extends ChildProcessServer {
    private static final Pattern PORT_LINE = Pattern.compile("Uvicorn running on \\S+:(\\d+)");

    public FastApiEchoServer(ServerConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return "fastapi";
    }

    @Override
    public String echoPrefix() {
        return "Echo: ";
    }

    @Override
    public boolean echoesBinary() {
        return false;
    }

    @Override
    protected List<String> modules() {
        return List.of("fastapi", "uvicorn", "websockets");
    }

    @Override
    protected List<String> distributions() {
        return List.of("fastapi", "starlette", "uvicorn", "websockets", "uvloop", "httptools");
    }

    @Override
    protected List<String> files() {
        return List.of("fastapi_echo.py");
    }

    @Override
    protected List<String> arguments(Path dir, ServerConfig config) {
        return List.of("-m", "uvicorn", "fastapi_echo:app", "--app-dir", dir.toString(),
                "--host", config.host(), "--port", String.valueOf(config.port()),
                "--ws-max-size", String.valueOf(config.maxMessageBytes()),
                "--ws-per-message-deflate", String.valueOf(config.compression()));
    }

    @Override
    protected void describe(ServerSettings.Builder settings, ServerConfig config) {
        settings.putConfigured(ServerSettings.TRANSPORT, "uvicorn --loop auto --http auto --ws auto (uvloop,"
                        + " httptools, websockets when installed: see python)")
                .putConfigured(ServerSettings.MAX_MESSAGE_BYTES, config.maxMessageBytes())
                .putConfigured(ServerSettings.IDLE_TIMEOUT_MS,
                        "none, uvicorn pings every 20 s and closes after 20 s without pong")
                .putConfigured(ServerSettings.COMPRESSION, config.compression());
    }

    @Override
    protected Pattern portLine() {
        return PORT_LINE;
    }

    @Override
    protected String endpoint() {
        return "/ws";
    }
}
