import argparse
from http.server import HTTPServer, SimpleHTTPRequestHandler


def main():
    parser = argparse.ArgumentParser(prog="inventory-api")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    HTTPServer(("0.0.0.0", args.port), SimpleHTTPRequestHandler).serve_forever()
    return 0
