import Dispatch
import Foundation

/// Work spread across the cores with `DispatchQueue.concurrentPerform`, results kept in order.
public enum Parallel {
    /// `transform` of every index in `0..<count`, computed in parallel; the results come back in index
    /// order, so what a build writes never depends on timing.
    public static func map<Element>(_ count: Int, _ transform: @Sendable (Int) -> Element) -> [Element] {
        let slots = Slots<Element>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in slots.set(index, transform(index)) }
        return slots.elements
    }

    /// Like `map`, for work that can fail: every index runs, then the first error in index order is thrown.
    public static func map<Element>(_ count: Int, _ transform: @Sendable (Int) throws -> Element) throws -> [Element] {
        try map(count) { index in Result { try transform(index) } }.map { try $0.get() }
    }

    /// `first()` and `second()` at once, one on each core: two independent halves of a stage. A `map` within
    /// either half runs on that half's core only (libdispatch shares the cores out among nested loops).
    public static func both<A, B>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
        let (a, b) = (Slots<A>(count: 1), Slots<B>(count: 1))
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 { a.set(0, first()) } else { b.set(0, second()) }
        }
        return (a.elements[0], b.elements[0])
    }

    /// Results written by index from parallel workers; each slot is written once, then read after the loop.
    private final class Slots<Element>: @unchecked Sendable {
        private var storage: [Element?]
        private let lock = NSLock()

        init(count: Int) { storage = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ element: Element) {
            lock.lock()
            storage[index] = element
            lock.unlock()
        }

        var elements: [Element] {
            lock.lock()
            defer { lock.unlock() }
            return storage.map { $0! }
        }
    }
}

/// Work started at once on another thread, its result taken later: a stage's preparation (listing the previous
/// site, loading the theme) runs while the cores are not all busy with the stage before it.
public final class Background<Value: Sendable>: @unchecked Sendable {
    private var result: Result<Value, any Error>?
    private let group = DispatchGroup()
    private let lock = NSLock()

    /// Starts `work` on a global queue.
    public init(_ work: @escaping @Sendable () throws -> Value) {
        group.enter()
        DispatchQueue.global().async {
            let result = Result { try work() }
            self.lock.withLock { self.result = result }
            self.group.leave()
        }
    }

    /// The work's result, waiting for it if it is still running; rethrows its error.
    public var value: Value {
        get throws {
            group.wait()
            return try lock.withLock { result! }.get()
        }
    }

    /// Waits for the work, whatever it gave: nothing it does outlives the caller.
    public func wait() { group.wait() }
}

/// A thread-safe counter (progress reports from parallel workers).
public final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    public init() {}

    /// Adds one and returns the new count.
    public func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
