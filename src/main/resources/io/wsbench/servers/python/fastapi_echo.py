# The classic article's FastAPI echo: /ws accepts, then answers every text message with "Echo: " + the text.
# wsbench runs it as `python3 -m uvicorn fastapi_echo:app --host 127.0.0.1 --port 0 ...` (FastApiEchoServer).
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()


@app.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            data = await websocket.receive_text()
            await websocket.send_text(f"Echo: {data}")
    except WebSocketDisconnect:
        return  # the client closed the connection: the normal end of a session
