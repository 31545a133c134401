import Foundation
import Testing

@testable import HindsightCore

@Suite("Archive assembly")
struct ArchiveTests {
    @Test("a post-mortem is a value: changing a copy leaves the original as it was, and equal fields are equal values")
    func postMortemIsAValue() throws {
        let original = try postMortem("---\ntitle: Queue stall\nrelated: [a, b]\n---\n\n## Summary\n\nThe queue stalled.\n")
        var copy = original
        copy.related.removeAll { $0 == "a" }
        copy.title = "Queue stall, revised"
        #expect(original.related == ["a", "b"] && original.title == "Queue stall")
        #expect(copy.related == ["b"] && copy.title == "Queue stall, revised")
        #expect(copy != original)
        var again = original
        again.related = ["b"]
        again.title = "Queue stall, revised"
        #expect(again == copy && again.hashValue == copy.hashValue)
        #expect(Set([original, copy, again]).count == 2)
    }

    @Test func duplicateIDsAreAnErrorOnEachFileNamingTheOther() throws {
        let (_, diagnostics) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/2024/db-failover.md", "---\ndate: 2024-01-01\n---\n"),
            sourceFile("Content/2025/db-failover.md", "---\ndate: 2025-01-01\n---\n"),
            sourceFile("Content/2025/other.md", "---\ndate: 2025-02-01\n---\n"),
        ]))
        let duplicates = errors(diagnostics).filter { $0.message.contains("duplicate id") }
        #expect(duplicates.count == 2)
        let first = try #require(duplicates.first { $0.location?.path == "Content/2024/db-failover.md" })
        #expect(first.message.contains("Content/2025/db-failover.md"))
        let second = try #require(duplicates.first { $0.location?.path == "Content/2025/db-failover.md" })
        #expect(second.message.contains("Content/2024/db-failover.md"))
    }

    @Test func duplicateIDFromFrontMatterPointsAtTheIDKey() throws {
        let (archive, diagnostics) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/a.md", "---\ndate: 2024-01-01\ntitle: A\nid: shared\n---\n"),
            sourceFile("Content/b.md", "---\nid: shared\ndate: 2024-01-02\n---\n"),
        ]))
        let duplicates = errors(diagnostics).filter { $0.message.contains("duplicate id 'shared'") }
        #expect(duplicates.map { $0.location?.description } == ["Content/a.md:4:1", "Content/b.md:2:1"])
        #expect(archive.postMortem(id: "shared") != nil)
    }

    @Test func draftsAreLeftOutUnlessAskedFor() throws {
        let files = [
            sourceFile("Content/2024-01-01-published.md", "Text.\n"),
            sourceFile("Content/2024-01-02-draft.md", "---\nstatus: draft\n---\n"),
            sourceFile("Content/2024-01-03-review.md", "---\nstatus: in-review\n---\n"),
        ]
        let (archive, _) = ArchiveBuilder.build(snapshot(files))
        #expect(archive.postMortems.map(\.id) == ["2024-01-03-review", "2024-01-01-published"])
        #expect(archive.postMortem(id: "2024-01-02-draft") == nil)

        let (withDrafts, _) = ArchiveBuilder.build(snapshot(files), options: ArchiveOptions(includeDrafts: true))
        #expect(withDrafts.postMortems.map(\.id) == ["2024-01-03-review", "2024-01-02-draft", "2024-01-01-published"])
    }

    @Test func relatedIDThatDoesNotExistIsAWarning() throws {
        let (archive, diagnostics) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/2024-01-01-a.md", "---\ntitle: A\nrelated: [2024-01-02-b, missing-one, 2024-01-03-draft]\n---\n"),
            sourceFile("Content/2024-01-02-b.md", "---\nrepeat_of: also-missing\n---\n"),
            sourceFile("Content/2024-01-03-draft.md", "---\nstatus: draft\n---\n"),
        ]))
        let related = warnings(diagnostics).filter { $0.message.contains("related post-mortem") }
        #expect(related.map(\.message) == [
            "related post-mortem 'missing-one' does not exist", "related post-mortem 'also-missing' does not exist",
        ])
        #expect(related.map { $0.location?.description } == ["Content/2024-01-01-a.md:3:1", "Content/2024-01-02-b.md:2:1"])
        #expect(errors(diagnostics).isEmpty)
        #expect(archive.postMortems.count == 2)
    }

    @Test func factorGroupsListDefaultTypesThenOthersThenUnclassified() throws {
        let (archive, _) = ArchiveBuilder.build(snapshot([
            sourceFile(
                "Content/2024-01-01-a.md",
                "## Contributing Factors\n\n- **Vendor**: a\n- b\n- Process: c\n- Process: d\n"),
            sourceFile(
                "Content/2024-01-02-b.md",
                "## Contributing Factors\n\n- **Budget**: e\n- Process: f\n- **vendor**: g\n"),
        ]))
        let groups = archive.factorGroups
        #expect(groups.map(\.type) == [
            "Technical", "Process", "Organizational", "Infrastructure", "Documentation", "Budget", "Vendor", "Unclassified",
        ])
        let byType = Dictionary(uniqueKeysWithValues: groups.map { ($0.type, $0) })
        #expect(byType["Technical"]?.factors.isEmpty == true)
        #expect(byType["Technical"]?.incidentCount == 0)
        #expect(byType["Process"]?.factors.count == 3)
        #expect(byType["Process"]?.incidentCount == 2)
        #expect(byType["Vendor"]?.incidentCount == 2)
        #expect(byType["Unclassified"]?.slug == "unclassified")
        // References lead back to the factor they name.
        for group in groups {
            for ref in group.factors {
                #expect(archive.postMortems[ref.postMortem].factors[ref.factor].type == group.type)
            }
        }
        #expect(archive.factorCount == 7)
    }

    @Test func noUnclassifiedGroupWhenEveryFactorHasAType() throws {
        let (archive, _) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/2024-01-01-a.md", "## Contributing Factors\n\n- Process: c\n"),
        ]))
        #expect(archive.factorGroups.map(\.type) == Configuration.defaultFactorTypes)
    }

    @Test func servicesAreGroupedWithoutRegardToCase() throws {
        let (archive, _) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/2024-01-01-a.md", "---\nservices: [Checkout, search]\n---\n"),
            sourceFile("Content/2024-01-02-b.md", "---\nservices: [checkout, Payments]\n---\n"),
            sourceFile("Content/2024-01-03-c.md", "---\nservices: [CHECKOUT, checkout]\n---\n"),
        ]))
        #expect(archive.services.map(\.slug) == ["checkout", "payments", "search"])
        let checkout = try #require(archive.services.first)
        #expect(checkout.members == [0, 1, 2])
    }

    @Test func postMortemsAreSortedNewestFirstUndatedLast() throws {
        let (archive, _) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/2023-05-01-old.md", "Text.\n"),
            sourceFile("Content/undated-b.md", "Text.\n"),
            sourceFile("Content/2025-02-01-new.md", "Text.\n"),
            sourceFile("Content/undated-a.md", "Text.\n"),
            sourceFile("Content/2024-07-01-mid.md", "---\ndate: 2025-03-01\n---\n"),
        ]))
        #expect(archive.postMortems.map(\.id) == [
            "2024-07-01-mid", "2025-02-01-new", "2023-05-01-old", "undated-a", "undated-b",
        ])
        #expect(archive.indexByID["2023-05-01-old"] == 2)
        #expect(archive.years.map(\.name) == ["2025", "2023"])
        #expect(archive.years.first?.members == [0, 1])
    }

    @Test func severitiesFollowTheScaleOrder() throws {
        let (archive, _) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/2024-01-01-a.md", "---\nseverity: sev3\n---\n"),
            sourceFile("Content/2024-01-02-b.md", "---\nseverity: SEV1\n---\n"),
            sourceFile("Content/2024-01-03-c.md", "---\nseverity: Sev 3\n---\n"),
        ]))
        #expect(archive.severities.map(\.name) == ["SEV1", "SEV3"])
        #expect(archive.severities.map(\.members) == [[1], [0, 2]])
    }

    @Test func diagnosticsFromAllFilesAreSortedByPlace() throws {
        let (archive, diagnostics) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/b.md", "---\ndate: 2024-01-01\nseverity: SEV9\nstatus: nope\n---\n"),
            sourceFile("Content/a.md", "---\ndate: nope\n---\n"),
            sourceFile("Content/c.md", "bin\u{0}ary"),
        ]))
        #expect(diagnostics.map { $0.location?.description ?? "" } == [
            "Content/a.md:1:1", "Content/a.md:2:7", "Content/b.md:3:11", "Content/b.md:4:9", "Content/c.md:1:1",
        ])
        #expect(archive.postMortems.map(\.sourcePath).sorted() == ["Content/a.md", "Content/b.md"])
    }

    @Test func actionItemCounts() throws {
        let (archive, _) = ArchiveBuilder.build(snapshot([
            sourceFile("Content/2024-01-01-a.md", "## Action Items\n\n- [x] one\n- [ ] two\n"),
            sourceFile("Content/2024-01-02-b.md", "## Action Items\n\n- [ ] three\n"),
        ]))
        #expect(archive.actionItemCount == 3)
        #expect(archive.openActionItemCount == 2)
    }
}
