import Foundation
internal import CGit2

extension Repository {
    /// Runs `body` for each of `parts` slices of work on as many threads, each with a repository handle of
    /// its own: libgit2 handles are not shared between threads, but separate handles on one repository run
    /// in parallel. Results come back in part order; the first error in that order is thrown.
    func onWorkers<Value: Sendable>(
        _ parts: Int, _ body: @escaping @Sendable (Repository, Int) throws -> Value
    ) throws -> [Value] {
        let path = gitDirectory
        let slots = ResultSlots<Value>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            slots[part] = Result { try body(try Repository.open(at: path), part) }
        }
        return try slots.values().map { try $0.get() }
    }

    /// The bytes of many blobs, read on every core, in the order of `ids`; each read fails on its own (a
    /// missing or corrupt object), so the caller can say which file it was.
    public func blobs(_ ids: [ObjectID]) throws -> [Result<Data, GitError>] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, ids.count / 64))
        if parts == 1 { return ids.map { id in Result { try blob(id) }.mapError { $0 as? GitError ?? GitError(kind: .other, function: "git_blob_lookup", message: "\($0)") } } }
        return try onWorkers(parts) { repository, part in
            ids[(ids.count * part / parts)..<(ids.count * (part + 1) / parts)].map { id in
                Result { try repository.blob(id) }.mapError { $0 as? GitError ?? GitError(kind: .other, function: "git_blob_lookup", message: "\($0)") }
            }
        }.flatMap { $0 }
    }
}

/// One result per worker of a `concurrentPerform`, each slot written by one worker only.
final class ResultSlots<Value>: @unchecked Sendable {
    private var slots: [Result<Value, any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Result<Value, any Error>? {
        get { lock.withLock { slots[index] } }
        set { lock.withLock { slots[index] = newValue } }
    }

    /// The results in slot order; every slot must have been written.
    func values() -> [Result<Value, any Error>] { lock.withLock { slots.map { $0! } } }
}
