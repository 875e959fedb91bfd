# The classic article's Flask-SocketIO echo: the event "message" is answered with the event "response"
# carrying "Echo: " + the data, served by eventlet. wsbench runs it as `python3 flask_socketio_echo.py PORT HOST`
# (FlaskSocketIoEchoServer); port 0 takes a free one, which eventlet's start-up line names.
import sys

from flask import Flask
from flask_socketio import SocketIO, emit

app = Flask(__name__)
socketio = SocketIO(app, cors_allowed_origins="*", async_mode="eventlet")


@socketio.on("message")
def handle_message(data):
    emit("response", "Echo: " + data)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    # log_output: eventlet's start-up line "(PID) wsgi starting up on http://127.0.0.1:PORT" tells wsbench the port.
    socketio.run(app, host=host, port=port, log_output=True)
