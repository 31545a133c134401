import Foundation
import GitKit
import TestSupport
import Testing

@testable import HindsightCore

/// The figures of a repository with a known history (see `InsightsFixture`), asserted exactly.
@Suite("Insights from history")
struct InsightsCoreTests {
    static func insights(_ fixture: InsightsFixture, since: Day? = nil) throws -> (Insights, Archive) {
        let locator = SourceLocator.git(repository: fixture.repository.path, revision: "HEAD")
        let snapshot = try SourceReader.read(locator)
        let (archive, diagnostics) = ArchiveBuilder.build(snapshot)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        return (try InsightsReader.read(snapshot, archive: archive, since: since), archive)
    }

    @Test("insights take their settings from what the source stage read, not from the disk again")
    func settingsFromTheSnapshot() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["hindsight.yml": "insights:\n  repeat_window_days: 30\n", "Content/a.md": "---\ndate: 2024-03-05\n---\n# A\n"])
        let snapshot = try SourceReader.read(.worktree(root: repo.path))
        try repo.write("hindsight.yml", "insights:\n  repeat_window_days: 7\n")
        let (archive, _) = ArchiveBuilder.build(snapshot)
        #expect(try InsightsReader.read(snapshot, archive: archive).settings.repeatWindowDays == 30)
        // The snapshot carries the file versions of its one history walk.
        #expect(snapshot.versions?["Content/a.md"]?.count == 1)
    }

    @Test("factor words: ASCII text read by bytes gives the words the Character path gives")
    func factorWordsAsciiPath() throws {
        let texts = try ParseCacheTests.files().flatMap { file in
            parseData(file.data, path: file.path).0?.factors.map(\.text) ?? []
        } + [
            "The API's 5xx-rate alert (P1) fired; DNS TTL=300s, CPU at 99%.", "  ab  abc ABCD a1b2c3  ", "",
            "Out-of-date runbook for the failover: no owner, no review since 2019.",
        ]
        #expect(texts.count > 40)
        for text in texts where text.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(RepeatDetector.words(text) == RepeatDetector.characterWords(text), "\(text)")
        }
        #expect(RepeatDetector.words("Der Übergang schlug fehl") == ["der", "übergang", "schlug", "fehl"])
    }

    @Test("file versions: one walk yields each change of each file, oldest first")
    func fileVersions() throws {
        let fixture = try InsightsFixture()
        let repo = fixture.repository.repository
        let versions = try repo.fileVersions(
            under: "Content", paths: ["Content/a.md", "Content/b.md", "Content/d.md"], from: fixture.commits[5])
        #expect(versions["Content/a.md"]?.map(\.commit.id) == [fixture.commits[0], fixture.commits[2]])
        #expect(versions["Content/b.md"]?.map(\.commit.id) == [fixture.commits[1], fixture.commits[4]])
        #expect(versions["Content/d.md"]?.map(\.commit.id) == [fixture.commits[5]])
        // Each version's blob is the file as committed then.
        let first = try #require(versions["Content/a.md"]?.first)
        #expect(String(decoding: try repo.blob(first.blob), as: UTF8.self).contains("- [ ] [P0] Add a canary check"))
        #expect(try repo.fileVersions(under: "Content", paths: ["Content/a.md"], from: fixture.commits[1])["Content/a.md"]?.count == 1)
    }

    @Test("completion dates: the commit in which each item's status became done")
    func completions() throws {
        let fixture = try InsightsFixture()
        let (insights, _) = try Self.insights(fixture)
        let done = insights.ledger.filter(\.isDone)
        #expect(done.map(\.text) == [
            "Add a canary check for payments", "Validate the document count before swapping", "Document the deploy freeze",
        ])
        #expect(done.map { $0.completed?.id } == [fixture.commits[2], fixture.commits[4], fixture.commits[0]])
        #expect(done.map(\.daysToComplete) == [41, 65, 0])
        #expect(insights.completionLag == Distribution([41, 65, 0]))
        #expect(insights.completionLag.median == 41)
        #expect(insights.completionLag.p90 == 65)
    }

    @Test("completion dates through the cache: a post-mortem edited again takes its old versions' items from the cache, never reading them")
    func completionsCachedByVersion() throws {
        let fixture = try InsightsFixture()
        let repo = fixture.repository.repository
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("completions")
        func completions(at head: ObjectID) throws -> ActionItemCompletions {
            let locator = SourceLocator.git(repository: fixture.repository.path, revision: head.hex)
            let archive = ArchiveBuilder.build(try SourceReader.read(locator)).0
            return try ActionItemCompletions.read(
                repository: repo, head: head, archive: archive, cache: CacheFile(file: file, format: "test", generator: "test"))
        }
        let first = try completions(at: fixture.commits[5])
        #expect(first.completed("a", item: 0)?.id == fixture.commits[2])

        // a.md edited again (prose only); then both of its earlier versions leave the repository.
        let text = String(decoding: try #require(try repo.file(at: "Content/a.md", in: fixture.commits[5])), as: UTF8.self)
        let edited = try fixture.repository.commit(
            ["Content/a.md": text + "\nA later note.\n"], message: "Edit a", at: InsightsFixture.noon("2024-07-01"))
        let earlier = try repo.fileVersions(under: "Content", paths: ["Content/a.md"], from: fixture.commits[5])["Content/a.md"] ?? []
        #expect(earlier.count == 2)
        for version in earlier {
            let hex = version.blob.hex
            try FileManager.default.removeItem(
                at: fixture.repository.gitFolder.appendingPathComponent("objects/\(hex.prefix(2))/\(hex.dropFirst(2))"))
        }

        let second = try completions(at: edited)
        #expect(second.completed("a", item: 0)?.id == fixture.commits[2])
        #expect(second.completed("a", item: 2)?.id == fixture.commits[0])
        #expect(second.completed("b", item: 0)?.id == fixture.commits[4])
        #expect(second.byPostMortem.count == first.byPostMortem.count)
    }

    @Test("repeats through the cache: the same links and chains as without it, and found again when anything they read changes")
    func repeatsCached() throws {
        let fixture = try InsightsFixture()
        let (plain, archive) = try Self.insights(fixture)
        #expect(plain.repeats.isEmpty == false && plain.chains.isEmpty == false)
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("repeats")
        func cached(_ archive: Archive, _ settings: InsightsSettings = InsightsSettings()) -> Insights {
            Insights.compute(archive, settings: settings, repeatsCache: CacheFile(file: file, format: "test", generator: "test"))
        }
        let settings = try #require(try InsightsReader.read(
            SourceReader.read(.git(repository: fixture.repository.path, revision: "HEAD")), archive: archive).settings
                as InsightsSettings?)
        for _ in 0..<2 {
            let again = cached(archive, settings)
            #expect(again.repeats == plain.repeats && again.chains == plain.chains)
        }
        #expect(CacheFile(file: file, format: "test", generator: "test").storedCount == 1)

        // Each input the detection reads changes the key, so a stale result is never taken.
        let key = try #require(RepeatDetector.inputsKey(archive.postMortems, settings: settings))
        var changes: [(String, (inout [PostMortem], inout InsightsSettings) -> Void)] = [
            ("id", { pms, _ in pms[0].id += "-x" }),
            ("date", { pms, _ in pms[0].date = Day(year: 2020, month: 1, day: 1) }),
            ("merge time", { pms, _ in
                let created = pms[0].history!.created
                pms[0].history?.created = CommitStamp(id: created.id, time: created.time + 60)
            }),
            ("service", { pms, _ in pms[0].services.append("dns") }),
            ("factor type", { pms, _ in pms[0].factors[0].type = "Documentation" }),
            ("factor text", { pms, _ in pms[0].factors[0].text += " again" }),
            ("related", { pms, _ in pms[0].related.append("b") }),
            ("window", { _, settings in settings.repeatWindowDays += 1 }),
            ("similarity", { _, settings in settings.similarity -= 0.1 }),
        ]
        changes.append(("order", { pms, _ in pms.swapAt(0, 1) }))
        for (name, change) in changes {
            var (postMortems, changed) = (archive.postMortems, settings)
            change(&postMortems, &changed)
            #expect(RepeatDetector.inputsKey(postMortems, settings: changed) != key, "\(name) does not change the key")
        }
        // A prose edit does not.
        var edited = archive.postMortems
        edited[0].bodyHTML += "<p>More.</p>"
        edited[0].summary += " More."
        #expect(RepeatDetector.inputsKey(edited, settings: settings) == key)
    }

    @Test("the ledger: open first by priority then owner, ages from the merge, overdue against the targets")
    func ledger() throws {
        let fixture = try InsightsFixture()
        let (insights, _) = try Self.insights(fixture)
        let ledger = insights.ledger
        #expect(ledger.map(\.text) == [
            "Add a canary check for refunds", "Assign an owner to the invoice job", "Write the rollback runbook",
            "Review the refund tests",
            "Add a canary check for payments", "Validate the document count before swapping", "Document the deploy freeze",
        ])
        #expect(ledger.map(\.owner) == ["Checkout Team", "Billing Team", "SRE Team", "Checkout Team", "Checkout Team", "Search Team", "SRE Team"])
        #expect(ledger.map(\.ageDays) == [78, 0, 143, 78, 143, 117, 143])
        #expect(ledger.map(\.isOverdue) == [true, false, true, false, false, false, false])
        #expect(ledger.map(\.targetDays) == [28, 56, 56, nil, 28, 56, nil])
        #expect(insights.overdueCount == 2)
    }

    @Test("incident to merged post-mortem: median and 90th percentile in days")
    func mergeLag() throws {
        let fixture = try InsightsFixture()
        let (insights, _) = try Self.insights(fixture)
        #expect(insights.mergeLags.map(\.postMortemID) == ["a", "b", "c", "d"])
        #expect(insights.mergeLags.map(\.days) == [8, 6, 14, 12])
        #expect(insights.mergeLag.median == 10)
        #expect(insights.mergeLag.p90 == 14)
    }

    @Test("repeats: an explicit repeat_of and an inferred pair, with reasons, and the chains")
    func repeats() throws {
        let fixture = try InsightsFixture()
        let (insights, _) = try Self.insights(fixture)
        #expect(insights.repeats == [
            RepeatLink(earlier: "b", later: "d", reason: .linked),
            RepeatLink(earlier: "a", later: "c", reason: .sharedServiceAndFactorType(service: "checkout", factorType: "Process", days: 59)),
        ])
        #expect(insights.chains == [["b", "d"], ["a", "c"]])
        #expect(insights.similar(to: "a").map(\.id) == ["c"])
        #expect(insights.similar(to: "a").first?.reason.text == "same service (checkout) and a shared Process factor, 59 days apart")

        // Outside the window, the same pair is still found by its similar factor text.
        var narrow = InsightsSettings()
        narrow.repeatWindowDays = 30
        let (_, archive) = try Self.insights(fixture)
        let links = RepeatDetector.links(archive.postMortems, settings: narrow)
        #expect(links.first { $0.later == "c" }?.reason == .similarFactors(
            earlier: "The canary did not cover the payment path", later: "The canary did not cover the refund path", percent: 60))
        var strict = narrow
        strict.similarity = 0.8
        #expect(RepeatDetector.links(archive.postMortems, settings: strict).map(\.later) == ["d"])
    }

    @Test("success metrics per month, response times and severity mix per quarter")
    func periods() throws {
        let fixture = try InsightsFixture()
        let (insights, _) = try Self.insights(fixture)
        #expect(insights.periodKind == .month)
        #expect(insights.periods.map(\.period.description) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"])
        #expect(insights.periods.map(\.filed) == [2, 0, 1, 0, 1])
        #expect(insights.periods.map(\.nearMisses) == [1, 0, 0, 0, 0])
        #expect(insights.periods.map(\.nearMissShare) == [0.5, nil, 0, nil, 0])
        #expect(insights.periods.map(\.actionItems) == [4, 0, 2, 0, 1])
        #expect(insights.periods.map(\.completed) == [3, 0, 0, 0, 0])
        #expect(insights.periods.map(\.openByPriority) == [["P1": 1], [:], ["P0": 1, "P2": 1], [:], ["P1": 1]])
        #expect(insights.periods.map(\.repeats) == [0, 0, 1, 0, 1])

        #expect(insights.quarters.map(\.period.description) == ["2024 Q1", "2024 Q2"])
        let q1 = insights.quarters[0]
        #expect(q1.timeToDetect == Distribution([20, 5, 45]))
        #expect((q1.timeToDetect.median, q1.timeToDetect.p90) == (20, 45))
        #expect((q1.timeToResolve.median, q1.timeToResolve.p90) == (150, 180))
        #expect(q1.severities == ["SEV1": 1, "SEV2": 2])
        #expect(q1.factorTypes == ["Process": 2, "Technical": 1])
        #expect(insights.quarters[1].severities == ["SEV3": 1])
        #expect(insights.quarters[1].timeToDetect.count == 0)
        #expect(insights.severityOrder == ["SEV1", "SEV2", "SEV3"])
    }

    @Test("--since keeps later incidents, and their repeats of older ones")
    func since() throws {
        let fixture = try InsightsFixture()
        let (insights, _) = try Self.insights(fixture, since: Day("2024-03-01"))
        #expect(insights.periods.map(\.filed) == [1, 0, 1])
        #expect(insights.ledger.count == 3)
        #expect(insights.repeats.map(\.later) == ["d", "c"])
    }

    @Test("settings: targets, window and period from hindsight.yml; bad values are warnings at their line")
    func settings() {
        let yaml = """
            title: X
            insights:
              targets: {P0: 7, P2: 90, P1: none}
              repeat_window_days: 30
              similarity: 0.75
              period: quarter
              colour: blue
            """
        let (settings, problems) = InsightsSettings.parse(Data(yaml.utf8))
        #expect(settings.targets == ["P0": 7, "P2": 90])
        #expect(settings.target(for: "p2") == 90)
        #expect(settings.target(for: "P1") == nil)
        #expect(settings.repeatWindowDays == 30)
        #expect(settings.similarity == 0.75)
        #expect(settings.period == .quarter)
        #expect(problems.map(\.description) == ["hindsight.yml:7:3: warning: unknown setting insights.colour"])

        let (defaults, bad) = InsightsSettings.parse(Data("insights:\n  targets: {P0: soon}\n  repeat_window_days: -1\n".utf8))
        #expect(defaults == InsightsSettings())
        #expect(bad.map { $0.location?.line } == [2, 3])
    }

    @Test("an item reopened after being done is completed by the commit that closed it again")
    func reopened() throws {
        let open = ActionItem(text: "Fix it", status: "open", location: SourceLocation(path: "x"))
        var done = open
        done.status = "done"
        let stamps = (0..<4).map { CommitStamp(id: ObjectID(hex: String(repeating: "\($0)", count: 40))!, time: Date(timeIntervalSince1970: Double($0) * 86_400)) }
        let found = ActionItemCompletions.completions(
            of: [done], versions: [(stamps[0], [open]), (stamps[1], [done]), (stamps[2], [open]), (stamps[3], [done])])
        #expect(found == [0: stamps[3]])
        // Renamed text at the same position (same number of items) still matches.
        var renamed = done
        renamed.text = "Fix it properly"
        #expect(ActionItemCompletions.completions(of: [renamed], versions: [(stamps[0], [open]), (stamps[1], [done]), (stamps[2], [renamed])]) == [0: stamps[1]])
    }

    @Test("distributions: median of an even count is the mean of the middle two; p90 by nearest rank")
    func distribution() {
        #expect(Distribution([]).median == nil)
        #expect(Distribution([7]).p90 == 7)
        #expect(Distribution([4, 1, 3, 2]).median == 2.5)
        #expect(Distribution(Array(1...10).map(Double.init)).p90 == 9)
        #expect(Distribution(Array(1...11).map(Double.init)).p90 == 10)
    }
}
