"""A local stand-in for 46elks' SMS API (127.0.0.1, a free port), started by a test: it records
every request as it arrived (path, Authorization header, form fields) and answers like 46elks."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingSmsServer:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200  # what the next answers are (401: wrong credentials)
        self.answer: bytes | None = None  # what they say instead of 46elks' JSON
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                fields = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                server.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                        "fields": fields,
                    }
                )
                if server.answer is not None:
                    answer = server.answer
                elif server.status != 200:
                    answer = b"API access requires Basic HTTP authentication"
                else:
                    answer = json.dumps(
                        {"id": f"s{len(server.requests)}", "status": "created", **fields}
                    ).encode()
                self.send_response(server.status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
