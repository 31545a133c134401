import Foundation
internal import CGit2

extension Repository {
    /// Splits `count` items of work into contiguous ranges, one per core and each of at least `minimum` items,
    /// and runs `body` on every range on a thread of its own with a repository handle of its own: libgit2
    /// handles are not shared between threads, but separate handles on one repository run in parallel. With
    /// a single range the work runs here, on this handle. Results come back in range order; the first error
    /// in that order is thrown.
    func onWorkers<Value: Sendable>(
        splitting count: Int, atLeast minimum: Int, _ body: @escaping @Sendable (Repository, Range<Int>) throws -> Value
    ) throws -> [Value] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / max(1, minimum)))
        if parts == 1 { return [try body(self, 0..<count)] }
        let path = gitDirectory
        let slots = ResultSlots<Value>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (count * part / parts)..<(count * (part + 1) / parts)
            slots[part] = Result { try body(try Repository.open(at: path), range) }
        }
        return try slots.values().map { try $0.get() }
    }

    /// The bytes of many blobs, read on every core, in the order of `ids`; each read fails on its own (a
    /// missing or corrupt object), so the caller can say which file it was.
    public func blobs(_ ids: [ObjectID]) throws -> [Result<Data, GitError>] {
        try onWorkers(splitting: ids.count, atLeast: 64) { repository, range in
            ids[range].map { id in
                Result { try repository.blob(id) }.mapError {
                    $0 as? GitError ?? GitError(kind: .other, function: "git_blob_lookup", message: "\($0)")
                }
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
