/**
 * Echo servers that run as child processes of the benchmark JVM: the classic article's Python apps,
 * FastAPI under uvicorn ({@link io.wsbench.servers.python.FastApiEchoServer}) and Flask-SocketIO under
 * eventlet ({@link io.wsbench.servers.python.FlaskSocketIoEchoServer}), shipped as resources beside these
 * classes. {@link io.wsbench.servers.python.ChildProcessServer} starts one (port named by the server, bounded
 * wait, bounded log), exposes its pid for CPU and memory readings, and stops it with every descendant;
 * {@link io.wsbench.servers.python.PythonInterpreter} finds an interpreter that has the packages. Imports
 * {@code server} and {@code wire}.
 */
package io.wsbench.servers.python;
