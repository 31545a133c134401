import Foundation
import Testing

@testable import HindsightCore

@Suite("check: settings in hindsight.yml")
struct LintConfigurationTests {
    let blameful = LintHarness.document(summary: "Obviously this was human error.")

    @Test("a rule can be turned off or raised; a category or * sets many")
    func levels() {
        let off = LintHarness.lint(blameful, settings: "check:\n  rules:\n    hindsight/minimiser: off\n")
        #expect(off.ruleIDs == ["blame/language"])
        let raised = LintHarness.lint(blameful, settings: "check:\n  rules:\n    blame: error\n")
        #expect(raised.first { $0.ruleID == "blame/language" }?.severity == .error)
        let everything = LintHarness.lint(blameful, settings: "check:\n  rules:\n    '*': info\n    blame/language: error\n")
        #expect(everything.map(\.severity) == [.info, .error])
    }

    @Test("settings are read with their defaults")
    func defaults() {
        let (settings, problems) = LintConfiguration.parse(Data("title: Archive\n".utf8))
        #expect(problems.isEmpty)
        #expect(settings.maxActionItems == 10)
        #expect(settings.minWhys == 3)
        #expect(settings.priorities == ["P0", "P1", "P2", "P3"])
        #expect(settings.fullStructure(scale: ["SEV1", "SEV2", "SEV3"]) == ["SEV1", "SEV2"])
        #expect(settings.peopleFromHistory)
    }

    @Test("every setting is read")
    func everySetting() {
        let yaml = """
            check:
              rules: {actions/vague: off}
              allowed_words: [Just, Chase]
              people: [Alice Jones, "@bob"]
              people_from_history: false
              max_action_items: 5
              min_whys: 4
              priorities: [high, low]
              full_structure: [SEV1]
            """
        let (settings, problems) = LintConfiguration.parse(Data(yaml.utf8))
        #expect(problems.isEmpty)
        #expect(settings.levels == ["actions/vague": .off])
        #expect(settings.allowedWords == ["just", "chase"])
        #expect(settings.people == ["Alice Jones", "@bob"])
        #expect(settings.peopleFromHistory == false)
        #expect(settings.maxActionItems == 5)
        #expect(settings.minWhys == 4)
        #expect(settings.priorities == ["high", "low"])
        #expect(settings.fullStructureSeverities == ["SEV1"])
    }

    @Test("mistakes in the settings are findings at their line")
    func problems() {
        let yaml = """
            check:
              rules:
                blame/persn: error
                actions/vague: sometimes
              max_action_items: many
              colour: blue
            """
        let (_, problems) = LintConfiguration.parse(Data(yaml.utf8))
        #expect(problems.map(\.ruleID) == ["lint/unknown-rule", "schema/config", "schema/config", "schema/config"])
        #expect(problems.map { $0.location?.line } == [3, 4, 5, 6])
        #expect(problems.allSatisfy { $0.location?.path == "hindsight.yml" })
    }

    @Test("rule ids are unique and every rule is documented")
    func catalog() throws {
        let ids = RuleCatalog.descriptors.map(\.id)
        #expect(Set(ids).count == ids.count)
        let docs = try String(contentsOf: packageRootURL().appendingPathComponent("docs/rules.md"), encoding: .utf8)
        for id in ids {
            #expect(docs.contains("`\(id)`"), "docs/rules.md does not describe \(id)")
        }
    }

    private func packageRootURL(file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }
}
