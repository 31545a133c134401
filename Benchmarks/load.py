"""Load client for serve-load.sh when wrk is not installed: CONNECTIONS threads, each with one
keep-alive connection, GET URL for SECONDS. Prints "requests rate p50_ms p99_ms unexpected", where
unexpected counts answers other than EXPECTED and failed requests."""
import http.client, sys, threading, time, urllib.parse

url, expected, connections, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
parts = urllib.parse.urlsplit(url)
path = parts.path + ("?" + parts.query if parts.query else "")
lock = threading.Lock()
latencies, unexpected = [], [0]
deadline = time.monotonic() + seconds


def connect():
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)


def worker():
    connection, mine, bad = connect(), [], 0
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            bad += response.status != expected
            if response.will_close:
                connection.close()
                connection = connect()
        except Exception:
            bad += 1
            connection.close()
            connection = connect()
        mine.append(time.monotonic() - start)
    with lock:
        latencies.extend(mine)
        unexpected[0] += bad


threads = [threading.Thread(target=worker) for _ in range(connections)]
began = time.monotonic()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - began
latencies.sort()


def percentile(p):
    return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else 0


print(len(latencies), round(len(latencies) / elapsed), "%.2f" % percentile(0.5), "%.2f" % percentile(0.99), unexpected[0])
