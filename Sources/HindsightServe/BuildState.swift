import Foundation

/// The preview's current build, and the pages listening for the next one (server-sent event streams).
actor BuildState {
    /// Counts successful builds; a page built at an older generation reloads.
    private(set) var generation = 0
    /// The last build's errors, when it failed (the page shows them over the last good build).
    private(set) var failure: String?
    private var listeners: [UUID: AsyncStream<String>.Continuation] = [:]
    private var lastHeartbeat = ContinuousClock.now

    /// A successful build was swapped in: every open page reloads.
    func succeeded() {
        generation += 1
        failure = nil
        broadcast(LiveReload.event("reload", ["generation": generation]))
    }

    /// A build failed: every open page shows the errors.
    func failed(_ message: String) {
        failure = message
        broadcast(LiveReload.event("build-error", ["generation": generation, "message": message]))
    }

    /// A new page listening: it is told the current state first.
    func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let id = UUID()
        listeners[id] = continuation
        var hello: [String: Any] = ["generation": generation]
        if let failure { hello["message"] = failure }
        continuation.yield("retry: 1000\n\n" + LiveReload.event("hello", hello))
        continuation.onTermination = { _ in
            Task { await self.unsubscribe(id) }
        }
        return stream
    }

    /// A comment line every few seconds, so streams of closed pages end and are forgotten.
    func heartbeatIfDue() {
        let now = ContinuousClock.now
        guard now - lastHeartbeat > .seconds(10) else { return }
        lastHeartbeat = now
        broadcast(": ping\n\n")
    }

    /// Ends every stream (the server is stopping).
    func close() {
        for continuation in listeners.values { continuation.finish() }
        listeners.removeAll()
    }

    var listenerCount: Int { listeners.count }

    private func unsubscribe(_ id: UUID) {
        listeners[id] = nil
    }

    private func broadcast(_ text: String) {
        for continuation in listeners.values { continuation.yield(text) }
    }
}
