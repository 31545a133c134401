import Foundation
import Testing
import TestSupport

@testable import HindsightCore

/// Builds the public archives in `../shared/corpora/` where they lie (read-only) and compares what was read
/// with what each file states, written by hand in `Tests/Fixtures/corpora/<archive>.json` (its README says how).
///
/// Needs `../shared/corpora/` beside the clone: CI has it; elsewhere the tests say they are skipped.
@Suite("Other teams' archives")
struct CorpusTests {
    static let corpora = packageRoot().deletingLastPathComponent().appendingPathComponent("shared/corpora")
    static let expectations = packageRoot().appendingPathComponent("Tests/Fixtures/corpora")
    static let available = FileManager.default.fileExists(atPath: corpora.path)

    @Test("the shared folder is there, or the corpus tests say they are skipped")
    func sharedFolder() {
        if Self.available == false {
            print("skipped: \(Self.corpora.path) is absent (it holds others' archives; CI has it)")
        }
    }

    @Test(
        "an archive written to another template keeps its facts", .enabled(if: available),
        arguments: ["datahub", "taskcluster-retrospectives", "posthog-post-mortems"])
    func archive(_ name: String) throws {
        let expected = try JSONDecoder().decode(
            ArchiveExpectations.self, from: Data(contentsOf: Self.expectations.appendingPathComponent("\(name).json")))
        let folder = Self.corpora.appendingPathComponent(name).appendingPathComponent(expected.content).standardizedFileURL
        let mapping = Self.expectations.appendingPathComponent("\(name).yml")
        let snapshot = try SourceReader.read(.worktree(
            root: folder.path, content: folder.path,
            configuration: FileManager.default.fileExists(atPath: mapping.path) ? mapping.path : nil))
        let (archive, diagnostics) = ArchiveBuilder.build(snapshot, options: ArchiveOptions(includeDrafts: true, renderHTML: false))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.filter { $0.severity == .error })")

        var tally = Tally()
        let byPath = Dictionary(uniqueKeysWithValues: archive.postMortems.map { ($0.sourcePath, $0) })
        for (file, facts) in expected.files.sorted(by: { $0.key < $1.key }) {
            let path = folder.path + "/" + file
            guard facts.postmortem else {
                tally.check(byPath[path] == nil, "\(file): not a post-mortem, but it was read as one")
                tally.check(
                    diagnostics.contains { $0.location?.path == path && $0.message.hasPrefix("left out") },
                    "\(file): left out without a line in the report")
                continue
            }
            guard let pm = byPath[path] else {
                tally.check(false, "\(file): not read as a post-mortem")
                continue
            }
            tally.compare(pm, with: facts, file: file)
        }
        print(tally.summary(name))
        // A misread the expectations list (with the reason) is reported, not failed; any other fails.
        let known = expected.known_misreads ?? [:]
        for problem in tally.misreads where known.keys.contains(where: problem.hasPrefix) == false {
            Issue.record("\(name)/\(problem)")
        }
        for key in known.keys where tally.misreads.contains(where: { $0.hasPrefix(key) }) == false {
            Issue.record("\(name): '\(key)' is listed as a known misread but is read right now: remove it from the list")
        }
        for kind in Tally.Kind.allCases {
            let (stated, exact) = tally.counts[kind] ?? (0, 0)
            // The target is 95%; each archive's floor is what it reaches today, so a change that reads less fails.
            let floor = expected.floors?[kind.rawValue] ?? 0.95
            #expect(stated == 0 || Double(exact) >= floor * Double(stated) - 1e-9,
                    "\(name): \(kind.rawValue) read exactly \(exact) of \(stated), below \(Int(floor * 100))%")
        }
    }
}

/// One archive's expectations (the format is in `Tests/Fixtures/corpora/README.md`).
struct ArchiveExpectations: Decodable {
    var archive: String
    var content: String
    var files: [String: FileFacts]
    /// The share of each kind of fact the archive reaches today, where that is under the 95% target.
    var floors: [String: Double]?
    /// Misreads known and explained, by the start of their message (`file: kind`).
    var known_misreads: [String: String]?

    struct FileFacts: Decodable {
        var postmortem: Bool
        var date: String?
        var durations: [String: Int]?
        var timeline_zone: String?
        var timeline: [Event]?
        var action_items: [Action]?
    }

    struct Event: Decodable {
        var at: String?
        var event: String
    }

    struct Action: Decodable {
        var text: String
        var done: Bool?
    }
}

/// What was stated and what was read exactly, per kind of fact, and every fact read that was not stated.
struct Tally {
    enum Kind: String, CaseIterable {
        case dates, durations, timelines = "timeline events", actions = "action items"
    }

    var counts: [Kind: (stated: Int, exact: Int)] = [:]
    var misreads: [String] = []
    var near: [String] = []

    mutating func count(_ kind: Kind, exact: Bool) {
        var value = counts[kind] ?? (0, 0)
        value.stated += 1
        if exact { value.exact += 1 }
        counts[kind] = value
    }

    mutating func check(_ condition: Bool, _ problem: String) {
        if condition == false { misreads.append(problem) }
    }

    mutating func compare(_ pm: PostMortem, with facts: ArchiveExpectations.FileFacts, file: String) {
        // The date: a stated date must be read; a date read from the file that differs is a misread.
        if let date = facts.date {
            let exact = pm.date?.description == date
            count(.dates, exact: exact)
            if exact == false, pm.dateSource.isFallback == false {
                misreads.append("\(file): date: read as \(pm.date?.description ?? "none") from the \(pm.dateSource.rawValue), stated \(date)")
            } else if exact == false {
                near.append("\(file): date \(date) not read (\(pm.dateSource.rawValue))")
            }
        }
        // Durations: each stated one, and none that is not.
        let durations = facts.durations ?? [:]
        for (kind, fact) in [("detect", Fact.timeToDetect), ("repair", .timeToRepair), ("resolve", .timeToResolve)] {
            let read = pm.times[duration: fact]
            if let minutes = durations[kind] {
                count(.durations, exact: read == minutes)
                if let read, read != minutes { misreads.append("\(file): durations: time to \(kind) read as \(read) min, stated \(minutes)") }
                if read == nil { near.append("\(file): time to \(kind) (\(minutes) min) not read") }
            } else if let read {
                misreads.append("\(file): durations: time to \(kind) read as \(read) min, but the file states none")
            }
        }
        // Timeline events, in order.
        let events = facts.timeline ?? []
        let zone = facts.timeline_zone.flatMap(Self.offset) ?? 0
        for (index, event) in events.enumerated() {
            guard index < pm.timeline.count else {
                count(.timelines, exact: false)
                near.append("\(file): event \(index + 1) '\(event.event)' not read")
                continue
            }
            let entry = pm.timeline[index]
            let exact = Self.matches(entry, event, zone: zone)
            count(.timelines, exact: exact)
            if exact == false {
                near.append("\(file): event \(index + 1) read as '\(entry.time)' \(entry.timestamp.map { "\($0)" } ?? "-") '\(entry.event.prefix(40))', stated \(event.at ?? "-") '\(event.event)'")
            }
        }
        if pm.timeline.count > events.count {
            misreads.append("\(file): timeline: \(pm.timeline.count) events read, \(events.count) stated; the first extra: '\(pm.timeline[events.count].time) \(pm.timeline[events.count].event.prefix(50))'")
        }
        // Action items, in order, with their status.
        let actions = facts.action_items ?? []
        for (index, action) in actions.enumerated() {
            guard index < pm.actionItems.count else {
                count(.actions, exact: false)
                near.append("\(file): action \(index + 1) '\(action.text)' not read")
                continue
            }
            let item = pm.actionItems[index]
            let exact = Self.normalised(item.text).hasPrefix(Self.normalised(action.text)) && item.isDone == (action.done == true)
            count(.actions, exact: exact)
            if exact == false {
                near.append("\(file): action \(index + 1) read as '\(item.text.prefix(50))' (\(item.status)), stated '\(action.text)' (\(action.done.map { $0 ? "done" : "open" } ?? "-"))")
            }
        }
        if pm.actionItems.count > actions.count {
            misreads.append("\(file): action items: \(pm.actionItems.count) read, \(actions.count) stated; the first extra: '\(pm.actionItems[actions.count].text.prefix(60))'")
        }
    }

    /// Whether an entry has the stated time (a UTC instant, the stated zone applied; or a time or date alone)
    /// and starts with the stated words.
    static func matches(_ entry: TimelineEntry, _ event: ArchiveExpectations.Event, zone: Int) -> Bool {
        let words = normalised(event.event)
        guard words.isEmpty || normalised(entry.event).hasPrefix(words) || normalised(entry.event).contains(words) else { return false }
        guard let at = event.at else { return entry.time.isEmpty }
        if at.count == 16, let local = ISO8601DateFormatter().date(from: at + ":00Z") {
            guard let timestamp = entry.timestamp else { return false }
            let instant = local.addingTimeInterval(TimeInterval(-zone))
            return Int(timestamp.timeIntervalSince1970 / 60) == Int(instant.timeIntervalSince1970 / 60)
        }
        if at.count == 10 {
            return entry.timestamp == nil && entry.time.contains(where: \.isNumber)
        }
        // "HH:MM": no date could be known.
        guard let scanned = TimeText.scan(entry.time[...])?.0, let seconds = scanned.secondsOfDay else { return false }
        let parts = at.split(separator: ":").compactMap { Int($0) }
        return parts.count == 2 && seconds / 60 == parts[0] * 60 + parts[1]
    }

    /// Lowercase letters, digits and single spaces: texts compared without their markup.
    static func normalised(_ text: String) -> String {
        // `<Aryx>` written bare is an HTML tag to Markdown: the page shows nothing of it.
        let visible = text.replacing(#/<[A-Za-z][^>\s]*>/#, with: "")
        let kept = visible.lowercased().unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : " " }
        return String(kept).split(separator: " ").joined(separator: " ")
    }

    /// `-08:00` → -28,800 seconds.
    static func offset(_ text: String) -> Int? {
        let sign = text.hasPrefix("-") ? -1 : 1
        let parts = text.dropFirst().split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        return sign * (parts[0] * 3600 + parts[1] * 60)
    }

    func summary(_ name: String) -> String {
        var lines = ["\(name): stated → read exactly"]
        for kind in Kind.allCases {
            let (stated, exact) = counts[kind] ?? (0, 0)
            let share = stated == 0 ? "–" : "\(Int((Double(exact) / Double(stated) * 100).rounded(.down)))%"
            lines.append("  \(kind.rawValue): \(stated) → \(exact) (\(share))")
        }
        lines.append("  misread: \(misreads.count)")
        if ProcessInfo.processInfo.environment["HINDSIGHT_CORPUS_DETAILS"] != nil {
            lines += (misreads + near).map { "    \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}

