// hindsight-corpus: writes a deterministic archive of post-mortems as a real Git history.
//
//   hindsight-corpus <folder> <count> [seed]
//
// Post-mortems follow docs/format.md with varied sections, tables and lists (4–8 kB each). They are
// added ten per commit, and a fifth of them are revised in later commits (an action item closed), so
// the history walk, the per-file dates and the action-item figures have real work to do.

import Foundation

/// SplitMix64: small, fast and the same on every machine.
struct Random {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: Range<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }

    mutating func chance(_ percent: Int) -> Bool { int(0..<100) < percent }
}

let services = [
    "checkout", "payments", "search", "catalog", "auth", "edge", "dns", "postgres", "notifications", "inventory",
    "ledger", "shipping", "recommendations", "images", "accounts", "gateway", "kafka", "redis", "billing", "reports",
]
let symptoms = [
    "elevated error rates", "slow responses", "partial outage", "stale data", "failed logins", "dropped messages",
    "timeouts", "duplicate charges", "missing results", "queue backlog", "connection exhaustion", "disk pressure",
]
let triggers = [
    "a deploy", "a configuration push", "a certificate rotation", "a schema migration", "a traffic spike",
    "a provider outage", "a kernel update", "a feature flag change", "a failover", "a dependency upgrade",
]
let teams = ["Platform Team", "SRE Team", "Payments Team", "Checkout Team", "Data Platform Team", "Search Team", "Security Team"]
let factorTypes = ["Technical", "Process", "Organizational", "Infrastructure", "Documentation"]
let tags = ["deploy", "config", "capacity", "certificates", "database", "network", "vendor", "security", "cache", "queue"]
let words = """
    the service retried requests while the pool was saturated and the alert threshold did not account for the \
    new traffic pattern so the dashboards showed normal latency even though a fraction of customers saw errors \
    during the rollout the canary covered only read paths and the runbook described an older topology which made \
    the mitigation slower than expected once the team correlated the deploy with the error budget burn they rolled \
    back and the system recovered within minutes monitoring now tracks the write path and the capacity model \
    includes seasonal peaks replication lag cache hit rate connection limits backpressure queue depth
    """.split(separator: " ").map(String.init)

func sentence(_ random: inout Random, _ count: Int) -> String {
    var parts: [String] = []
    for _ in 0..<count { parts.append(random.pick(words)) }
    let text = parts.joined(separator: " ")
    return text.prefix(1).uppercased() + text.dropFirst() + "."
}

func paragraph(_ random: inout Random, sentences: Int) -> String {
    (0..<sentences).map { _ in sentence(&random, random.int(8..<18)) }.joined(separator: " ")
}

func postMortem(_ n: Int, seed: UInt64) -> (path: String, text: String, actions: Int) {
    var random = Random(state: seed &+ UInt64(n) &* 7919)
    let year = 2019 + n % 7
    let month = 1 + random.int(0..<12)
    let day = 1 + random.int(0..<28)
    let date = String(format: "%04d-%02d-%02d", year, month, day)
    let service = random.pick(services)
    let other = random.pick(services)
    let title = "\(service.capitalized) \(random.pick(symptoms)) after \(random.pick(triggers)) #\(n)"
    let slug = "\(date)-\(service)-incident-\(n)"
    let severity = "SEV\(1 + random.int(0..<4))"
    let nearMiss = random.chance(10)
    let startHour = random.int(0..<20)
    let detect = random.int(1..<45)
    let resolve = detect + random.int(10..<300)
    func stamp(_ minutes: Int) -> String {
        let total = startHour * 60 + minutes
        let extraDays = total / 1440
        let d = Calendar(identifier: .gregorian).date(byAdding: .day, value: extraDays,
            to: DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: year, month: month, day: day).date!)!
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: d)
        return String(format: "%04d-%02d-%02dT%02d:%02d:00Z", c.year!, c.month!, c.day!, (total % 1440) / 60, total % 60)
    }

    var text = """
        ---
        title: "\(title)"
        date: \(date)
        severity: \(severity)
        status: published
        near_miss: \(nearMiss)
        services: [\(service)\(other == service ? "" : ", \(other)")]
        tags: [\(random.pick(tags)), \(random.pick(tags))]
        owner_team: \(random.pick(teams))
        started: \(stamp(0))
        detected: \(stamp(detect))
        resolved: \(stamp(resolve))
        ---

        ## Summary

        \(paragraph(&random, sentences: 4 + random.int(0..<4)))

        ## Impact

        - \(sentence(&random, 12))
        - \(sentence(&random, 10))
        - \(sentence(&random, 14))

        ## Timeline


        """
    let events = 6 + random.int(0..<8)
    let style = n % 4
    if style == 0 { text += "| Time (UTC) | Event |\n|---|---|\n" }
    if style == 2 { text += "```\n" }
    for e in 0..<events {
        let minutes = e * resolve / max(1, events - 1)
        let time = String(format: "%02d:%02d", ((startHour * 60 + minutes) % 1440) / 60, (startHour * 60 + minutes) % 60)
        let event = sentence(&random, random.int(6..<14))
        switch style {
        case 0: text += "| \(time) | \(event) |\n"
        case 1: text += "- \(time) - \(event)\n"
        case 2: text += "\(time) - \(event)\n"
        default: text += "### \(time) — \(event)\n\n\(sentence(&random, 12))\n\n"
        }
    }
    if style == 2 { text += "```\n" }

    text += "\n## Five Whys\n\n"
    for w in 1...(3 + random.int(0..<3)) { text += "\(w). Why? \(sentence(&random, 12))\n" }

    text += "\n## Contributing Factors\n\n"
    let factors = 2 + random.int(0..<4)
    if n % 2 == 0 {
        text += "| Factor | Type | Contribution |\n|---|---|---|\n"
        for _ in 0..<factors { text += "| \(sentence(&random, 9)) | \(random.pick(factorTypes)) | \(random.pick(["High", "Medium", "Low"])) |\n" }
    } else {
        for _ in 0..<factors { text += "- **\(random.pick(factorTypes))**: \(sentence(&random, 12))\n" }
    }

    text += "\n## What Went Well\n\n- \(sentence(&random, 10))\n- \(sentence(&random, 9))\n"
    text += "\n## What Went Poorly\n\n- \(sentence(&random, 11))\n- \(sentence(&random, 10))\n"
    if nearMiss { text += "\n## Where We Got Lucky\n\n\(paragraph(&random, sentences: 2))\n" }

    text += "\n## Action Items\n\n"
    let actions = 2 + random.int(0..<5)
    if n % 3 == 0 {
        text += "| Action | Owner | Priority | Status |\n|---|---|---|---|\n"
        for _ in 0..<actions { text += "| \(sentence(&random, 8)) | \(random.pick(teams)) | P\(random.int(0..<3)) | open |\n" }
    } else {
        for _ in 0..<actions { text += "- [ ] [P\(random.int(0..<3))] \(sentence(&random, 8)) — \(random.pick(teams))\n" }
    }

    text += "\n## Lessons Learned\n\n"
    // Pad to 4–8 kB with more analysis, as real post-mortems vary in length.
    let target = 4_000 + random.int(0..<4_000)
    while text.utf8.count < target { text += paragraph(&random, sentences: 3) + "\n\n" }
    return ("Content/\(year)/\(slug).md", text, actions)
}

/// Closes the first open action item: the revision a later commit makes.
func revise(_ text: String) -> String {
    if let range = text.range(of: "| open |") { return text.replacingCharacters(in: range, with: "| done |") }
    if let range = text.range(of: "- [ ] ") { return text.replacingCharacters(in: range, with: "- [x] ") }
    return text + "\nRevised after review.\n"
}

/// Writes the history through `git fast-import`, which packs each commit's objects as it goes.
///
/// Committing through an index rewrote the whole index and every touched tree as loose objects on
/// each commit, which made a 100,000 post-mortem corpus take hours; fast-import writes the same
/// commits (same trees, same times, same ids) in minutes.
final class FastImport {
    private let process = Process()
    private let input = Pipe()
    private var buffer: [UInt8] = []
    private var commits = 0

    init(folder: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder, "fast-import", "--quiet", "--done"]
        process.standardInput = input
        try process.run()
        buffer.reserveCapacity(1 << 20)
    }

    private func data(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: Array("data \(bytes.count)\n".utf8))
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
    }

    /// One commit on `refs/heads/main` that writes `files` (path → text), parented on the previous one.
    func commit(files: [(path: String, text: String)], message: String, time: Date) {
        let seconds = Int(time.timeIntervalSince1970)
        var header = "commit refs/heads/main\n"
        header += "author Bench <bench@example.invalid> \(seconds) +0000\n"
        header += "committer Bench <bench@example.invalid> \(seconds) +0000\n"
        buffer.append(contentsOf: Array(header.utf8))
        data(Array(message.utf8))
        for file in files.sorted(by: { $0.path < $1.path }) {
            buffer.append(contentsOf: Array("M 100644 inline \(file.path)\n".utf8))
            data(Array(file.text.utf8))
        }
        buffer.append(0x0A)
        commits += 1
        if buffer.count > 1 << 20 { flush() }
    }

    private func flush() {
        input.fileHandleForWriting.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends the stream and waits; returns the number of commits written.
    func finish() throws -> Int {
        buffer.append(contentsOf: Array("done\n".utf8))
        flush()
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "git fast-import failed"])
        }
        return commits
    }
}

/// Runs git in `folder` and stops the generator if it fails.
func git(_ folder: String, _ arguments: String...) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", folder] + arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "git \(arguments.joined(separator: " ")) failed"])
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let count = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: hindsight-corpus <folder> <count> [seed]\n".utf8))
    exit(2)
}
let folder = arguments[1]
let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 42 : 42
try? FileManager.default.removeItem(atPath: folder)
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
try git(folder, "init", "--quiet", "--initial-branch=main")
let history = try FastImport(folder: folder)
var clock = Date(timeIntervalSince1970: 1_546_300_800)  // 2019-01-01
history.commit(files: [("hindsight.yml", "title: Benchmark archive\n")], message: "Start the archive", time: clock)
/// A post-mortem's text after its revision; regenerated rather than kept, so memory stays flat.
func revised(_ n: Int) -> (path: String, text: String) {
    let pm = postMortem(n, seed: seed)
    return (pm.path, revise(pm.text))
}
for start in stride(from: 0, to: count, by: 10) {
    var files: [(path: String, text: String)] = []
    for n in start..<min(start + 10, count) {
        let pm = postMortem(n, seed: seed)
        files.append((pm.path, pm.text))
    }
    // A fifth of the post-mortems are revised later: those added fifty commits ago.
    let earlier = start - 500
    if earlier >= 0 {
        for n in earlier..<min(earlier + 10, count) where n % 5 == 0 { files.append(revised(n)) }
    }
    clock = clock.addingTimeInterval(3 * 3600)
    history.commit(files: files, message: "Add post-mortems \(start)–\(min(start + 10, count) - 1)", time: clock)
}
// Revisions still due for the newest fifty commits' worth of files.
var pending: [(path: String, text: String)] = []
for n in max(0, count - 500)..<count where n % 5 == 0 {
    pending.append(revised(n))
    if pending.count == 10 {
        clock = clock.addingTimeInterval(3600)
        history.commit(files: pending, message: "Close action items", time: clock)
        pending = []
    }
}
if pending.isEmpty == false {
    clock = clock.addingTimeInterval(3600)
    history.commit(files: pending, message: "Close action items", time: clock)
}
let commits = try history.finish()
// fast-import deltas each blob against the one written before it, so the newest versions end up at the
// far end of chains fifty deep: at 100,000 reading the head's blobs took git itself 37 s. A clone from a
// Git server is packed the other way round (newest whole, older as deltas), and git's manual asks for a
// repack after fast-import; the objects and commit ids do not change.
try git(folder, "repack", "-a", "-d", "-f", "--quiet")
// The working tree, for Hugo and for the benchmark's one-file edit.
try git(folder, "checkout", "--quiet", "--force", "main")
print("wrote \(count) post-mortems in \(commits) commits to \(folder)")
