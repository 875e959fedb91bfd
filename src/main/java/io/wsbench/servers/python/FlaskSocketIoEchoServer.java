package io.wsbench.servers.python;

import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.wire.EchoProtocol;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The classic article's Flask-SocketIO app ({@code flask_socketio_echo.py}: {@code SocketIO(app,
 * cors_allowed_origins="*", async_mode="eventlet")}, the event {@code message} answered with the event
 * {@code response} carrying {@code "Echo: "} + the data) served by eventlet through {@code socketio.run}, as a
 * child process. Clients speak Socket.IO over the WebSocket transport at {@code
 * /socket.io/?EIO=4&transport=websocket}; text only. The message limit is Engine.IO's own (1,000,000 bytes
 * by default), not {@link ServerConfig#maxMessageBytes()}.
 */
public final class FlaskSocketIoEchoServer extends ChildProcessServer {
    private static final Pattern PORT_LINE = Pattern.compile("wsgi starting up on \\S+:(\\d+)");

    public FlaskSocketIoEchoServer(ServerConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return "flask-socketio";
    }

    @Override
    public String echoPrefix() {
        return "Echo: ";
    }

    @Override
    public EchoProtocol protocol() {
        return EchoProtocol.SOCKETIO;
    }

    @Override
    public boolean echoesBinary() {
        return false;
    }

    @Override
    protected List<String> modules() {
        return List.of("flask", "flask_socketio", "eventlet");
    }

    @Override
    protected List<String> distributions() {
        return List.of("Flask", "Flask-SocketIO", "python-socketio", "python-engineio", "eventlet");
    }

    @Override
    protected List<String> files() {
        return List.of("flask_socketio_echo.py");
    }

    @Override
    protected List<String> arguments(Path dir, ServerConfig config) {
        return List.of(dir.resolve("flask_socketio_echo.py").toString(), String.valueOf(config.port()), config.host());
    }

    @Override
    protected void describe(ServerSettings.Builder settings, ServerConfig config) {
        settings.putConfigured(ServerSettings.TRANSPORT,
                        "eventlet wsgi, Engine.IO WebSocket transport (green threads on one OS thread)")
                .putConfigured(ServerSettings.MAX_MESSAGE_BYTES, "1000000, Engine.IO's max_http_buffer_size default")
                .putConfigured(ServerSettings.IDLE_TIMEOUT_MS,
                        "none, Engine.IO pings every 25 s and closes after 20 s without pong")
                .putConfigured(ServerSettings.COMPRESSION, false);
    }

    @Override
    protected Pattern portLine() {
        return PORT_LINE;
    }

    @Override
    protected String endpoint() {
        return "/socket.io/?EIO=4&transport=websocket";
    }
}
