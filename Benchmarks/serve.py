"""Static server for the search benchmark: serves a built site on 127.0.0.1 and takes the
harness's results as a POST to /__bench__/result, written to the file named on the command line.
Loopback only; stops by itself after --seconds."""
import functools, http.server, os, sys, threading

root, port_file, result_file, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])

class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        if self.path != "/__bench__/result":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(result_file + ".tmp", "wb") as f:
            f.write(body)
        os.rename(result_file + ".tmp", result_file)
        self.send_response(204)
        self.end_headers()

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
threading.Timer(seconds, server.shutdown).start()
server.serve_forever()
