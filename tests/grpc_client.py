"""A real gRPC health client for tests/grpc.rs, on grpcio and grpcio-health-checking.

    python3 tests/grpc_client.py probe
        exit 0 when grpcio and grpcio-health-checking import, else print the reason, exit 77
    python3 tests/grpc_client.py query PORT NAME...
        one JSON object: Check and the first Watch message for each NAME, and List
    python3 tests/grpc_client.py watch PORT NAME
        one JSON line per Watch message for NAME, flushed, then {"end": CODE} when the
        stream ends
"""

import json
import sys

TIMEOUT = 10  # seconds, for every call


def imports():
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    return grpc, health_pb2, health_pb2_grpc


def status_name(health_pb2, status):
    return health_pb2.HealthCheckResponse.ServingStatus.Name(status)


def decode_list(data):
    """HealthListResponse by hand, for stubs without the message: field 1 is a map entry
    (key = field 1, a string; value = field 2, a HealthCheckResponse whose field 1 is the
    status varint)."""

    def varint(buf, i):
        shift = value = 0
        while True:
            byte = buf[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value, i

    def fields(buf):
        i = 0
        while i < len(buf):
            key, i = varint(buf, i)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, i = varint(buf, i)
            elif wire == 2:
                size, i = varint(buf, i)
                value, i = buf[i : i + size], i + size
            else:
                raise ValueError(f"unexpected wire type {wire}")
            yield number, value

    statuses = {}
    for number, entry in fields(data):
        if number != 1:
            continue
        name, status = "", 0
        for field, value in fields(entry):
            if field == 1:
                name = value.decode()
            elif field == 2:
                status = dict(fields(value)).get(1, 0)
        statuses[name] = status
    return statuses


def list_statuses(grpc, channel, stub, health_pb2):
    """List through the stubs when they have it, else a generic unary call."""
    if hasattr(stub, "List") and hasattr(health_pb2, "HealthListRequest"):
        reply = stub.List(health_pb2.HealthListRequest(), timeout=TIMEOUT)
        statuses = {name: r.status for name, r in reply.statuses.items()}
        return "stub", statuses
    call = channel.unary_unary(
        "/grpc.health.v1.Health/List",
        request_serializer=lambda _: b"",  # an empty HealthListRequest
        response_deserializer=lambda data: data,
    )
    data = call(None, timeout=TIMEOUT)
    if hasattr(health_pb2, "HealthListResponse"):
        reply = health_pb2.HealthListResponse.FromString(data)
        return "generic", {name: r.status for name, r in reply.statuses.items()}
    return "generic", decode_list(data)


def query(port, names):
    grpc, health_pb2, health_pb2_grpc = imports()
    out = {"check": {}, "watch": {}}
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for name in names:
            request = health_pb2.HealthCheckRequest(service=name)
            try:
                reply = stub.Check(request, timeout=TIMEOUT)
                out["check"][name] = status_name(health_pb2, reply.status)
            except grpc.RpcError as error:
                out["check"][name] = error.code().name
            stream = stub.Watch(request, timeout=TIMEOUT)
            try:
                first = next(stream)
                out["watch"][name] = status_name(health_pb2, first.status)
            except grpc.RpcError as error:
                out["watch"][name] = error.code().name
            finally:
                stream.cancel()
        try:
            via, statuses = list_statuses(grpc, channel, stub, health_pb2)
            out["list_via"] = via
            out["list"] = {n: status_name(health_pb2, s) for n, s in statuses.items()}
        except grpc.RpcError as error:
            out["list"] = error.code().name
    print(json.dumps(out, sort_keys=True))


def watch(port, name):
    grpc, health_pb2, health_pb2_grpc = imports()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        request = health_pb2.HealthCheckRequest(service=name)
        end = "OK"
        try:
            for reply in stub.Watch(request, timeout=30):
                print(json.dumps({"status": status_name(health_pb2, reply.status)}), flush=True)
        except grpc.RpcError as error:
            end = error.code().name
        print(json.dumps({"end": end}), flush=True)


def main(argv):
    if len(argv) >= 1 and argv[0] == "probe":
        try:
            imports()
        except ImportError as error:
            print(f"grpcio / grpcio-health-checking not installed: {error}")
            return 77
        return 0
    if len(argv) >= 2 and argv[0] == "query":
        query(argv[1], argv[2:])
        return 0
    if len(argv) == 3 and argv[0] == "watch":
        watch(argv[1], argv[2])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
