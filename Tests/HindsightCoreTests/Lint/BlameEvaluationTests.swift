import Foundation
import GitKit
import Testing
import TestSupport

@testable import HindsightCore

/// The blame rules measured on a labelled set of sentences (`Tests/Fixtures/blame-sentences.json`), each put in
/// its section of an otherwise clean post-mortem whose history names the set's people as authors.
///
/// Prints precision and recall per rule, per kind of sentence and overall. The targets (issue: check as a real
/// gate) are recall of at least 95% and false alarms on at most 3% of blameless sentences; `floors` in the set
/// hold what the rules reach today, so a change that reads worse fails.
@Suite("Blame rules on a labelled set")
struct BlameEvaluationTests {
    static let blameRules: Set<String> = ["blame/person", "blame/language", "actions/blame"]

    struct EvaluationSet: Decodable {
        struct Person: Decodable {
            var name: String
            var handle: String
        }

        struct Sentence: Decodable {
            var text: String
            var blaming: Bool
            var kind: String
            var section: String
        }

        var about: String?
        var people: [Person]
        var sentences: [Sentence]
        /// The least recall and the most false-alarm share the rules may show; absent, the issue's targets.
        var floors: Floors?

        struct Floors: Decodable {
            var recall: Double
            var falseAlarms: Double

            enum CodingKeys: String, CodingKey {
                case recall, falseAlarms = "false_alarms"
            }
        }
    }

    /// A clean post-mortem with `sentence` in `section`.
    static func document(_ sentence: String, in section: String) -> String {
        switch section {
        case "summary":
            return LintHarness.document(
                summary: "A config push raised checkout latency for 20 minutes until it was reverted. " + sentence)
        case "timeline":
            let line = sentence.first?.isNumber == true ? "- \(sentence)" : "- 10:10 - \(sentence)"
            return LintHarness.document(timeline: """
                - 10:00 - The config change is pushed to all regions.
                \(line)
                - 10:20 - The change is reverted. Latency recovers.
                """)
        case "analysis":
            return LintHarness.document(analysis: """
                1. Why did latency rise? The pool size setting was read as zero.
                2. Why was it read as zero? The new key name was not known to the loader.
                3. Why was the unknown key accepted? The loader ignored unknown keys without a warning.

                \(sentence)
                """)
        case "factors":
            return LintHarness.document(factors: """
                - **Technical**: The config loader ignored unknown keys.
                - **Process**: \(sentence)
                """)
        case "action_items":
            return LintHarness.document(actions: """
                - [ ] [P1] Reject unknown config keys at startup — Platform Team
                - [ ] [P2] \(sentence) — Delivery Team
                """)
        default:
            return LintHarness.document(extra: "## Thanks\n\n\(sentence)\n")
        }
    }

    /// The set the rules were tuned on, and a held-out set written before the rules ever ran on it.
    @Test("recall and false alarms per rule and per kind, at or above the set's floors", arguments: [
        "blame-sentences.json", "blame-sentences-holdout.json",
    ])
    func evaluate(file: String) throws {
        let url = packageRoot().appendingPathComponent("Tests/Fixtures/\(file)")
        let set = try JSONDecoder().decode(EvaluationSet.self, from: Data(contentsOf: url))
        #expect(set.sentences.count >= (file == "blame-sentences.json" ? 200 : 100))
        let authors = set.people.map { CommitAuthor(name: $0.name, email: "\($0.handle)@example.org", commits: 3) }
        let handles = set.people.map { "@" + $0.handle }

        var byKind: [String: (total: Int, flagged: Int, blaming: Bool)] = [:]
        var byRule: [String: (right: Int, wrong: Int)] = [:]
        var (blaming, caught, blameless, falseAlarms) = (0, 0, 0, 0)
        var misses: [String] = []
        for sentence in set.sentences {
            let findings = LintHarness.lint(Self.document(sentence.text, in: sentence.section), people: handles, authors: authors)
                .filter { Self.blameRules.contains($0.ruleID) }
            let flagged = findings.isEmpty == false
            var kind = byKind[sentence.kind] ?? (0, 0, sentence.blaming)
            kind.total += 1
            if flagged { kind.flagged += 1 }
            byKind[sentence.kind] = kind
            for rule in Set(findings.map(\.ruleID)) {
                var counts = byRule[rule] ?? (0, 0)
                if sentence.blaming { counts.right += 1 } else { counts.wrong += 1 }
                byRule[rule] = counts
            }
            if sentence.blaming {
                blaming += 1
                if flagged { caught += 1 } else { misses.append("missed (\(sentence.kind)): \(sentence.text)") }
            } else {
                blameless += 1
                if flagged {
                    falseAlarms += 1
                    misses.append("false alarm (\(sentence.kind), \(findings.map(\.ruleID).joined(separator: ", "))): \(sentence.text)")
                }
            }
        }
        let recall = blaming == 0 ? 1 : Double(caught) / Double(blaming)
        let alarmShare = blameless == 0 ? 0 : Double(falseAlarms) / Double(blameless)
        var report = ["blame rules on \(set.sentences.count) sentences of \(file): recall \(Self.percent(recall)) (\(caught)/\(blaming)), "
            + "false alarms \(Self.percent(alarmShare)) (\(falseAlarms)/\(blameless)), precision "
            + Self.percent(caught + falseAlarms == 0 ? 1 : Double(caught) / Double(caught + falseAlarms))]
        for (rule, counts) in byRule.sorted(by: { $0.key < $1.key }) {
            report.append("  \(rule): \(counts.right) on blaming sentences, \(counts.wrong) on blameless ones, precision "
                + Self.percent(Double(counts.right) / Double(max(1, counts.right + counts.wrong))))
        }
        for (kind, counts) in byKind.sorted(by: { ($0.value.blaming ? 0 : 1, $0.key) < ($1.value.blaming ? 0 : 1, $1.key) }) {
            report.append("  \(counts.blaming ? "blaming" : "blameless") \(kind): \(counts.flagged) of \(counts.total) flagged")
        }
        if ProcessInfo.processInfo.environment["HINDSIGHT_BLAME_DETAILS"] != nil { report += misses.map { "    " + $0 } }
        print(report.joined(separator: "\n"))

        let floors = set.floors ?? EvaluationSet.Floors(recall: 0.95, falseAlarms: 0.03)
        #expect(recall >= floors.recall - 1e-9, "recall \(Self.percent(recall)) is below \(Self.percent(floors.recall))")
        #expect(alarmShare <= floors.falseAlarms + 1e-9, "false alarms \(Self.percent(alarmShare)) exceed \(Self.percent(floors.falseAlarms))")
    }

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
