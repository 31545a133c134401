import Foundation
import HindsightCore
import HindsightSite
import TestSupport
import Testing

/// The bundled sample archive, committed into a fresh repository and built end to end.
@Suite("Sample archive end to end", .serialized)
struct SampleArchiveTests {
    /// Copies the package's Content/ into a new repository as one commit.
    static func sampleRepository() throws -> TemporaryRepository {
        let repo = try TemporaryRepository()
        let content = packageRoot().appendingPathComponent("Content")
        var files: [String: Data?] = [:]
        let enumerator = FileManager.default.enumerator(atPath: content.path)
        while let relative = enumerator?.nextObject() as? String {
            let url = content.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue { files["Content/" + relative] = try Data(contentsOf: url) }
        }
        try repo.commit(data: files, message: "Import the sample archive")
        return repo
    }

    static func sampleFiles() -> [String] {
        let content = packageRoot().appendingPathComponent("Content")
        let enumerator = FileManager.default.enumerator(atPath: content.path)
        var out: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".md") { out.append(relative) }
        }
        return out
    }

    @Test("every post-mortem gets a page and every link on every page resolves")
    func everyPageAndLink() throws {
        let repo = try Self.sampleRepository()
        let out = try TemporaryFolder()
        let (site, report) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)

        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty)
        let json = try site.json()
        let entries = try #require(json["postmortems"] as? [[String: Any]])
        // At least 12 published post-mortems; the draft is left out.
        #expect(entries.count >= 12)
        #expect(entries.count == Self.sampleFiles().count - 1)
        #expect(entries.allSatisfy { ($0["status"] as? String) != "draft" })

        for entry in entries {
            let id = try #require(entry["id"] as? String)
            let page = try site.page("postmortems/\(id)/index.html")
            let title = try #require(entry["title"] as? String)
            #expect(page.contains(escapeHTML(title)), "page of \(id) shows its title")
        }

        let index = try site.page("index.html")
        for entry in entries {
            #expect(index.contains("postmortems/\(entry["id"] as! String)/index.html"))
        }

        var checked = 0
        for file in site.files where file.hasSuffix(".html") {
            #expect(try site.brokenLinks(on: file) == [], "broken links on \(file)")
            checked += 1
        }
        #expect(checked == report.pages)
    }

    @Test("factor type pages cover the five types of the method, other types and Unclassified")
    func factorPages() throws {
        let repo = try Self.sampleRepository()
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        for type in ["technical", "process", "organizational", "infrastructure", "documentation", "unclassified"] {
            #expect(site.exists("factors/\(type)/index.html"), "factor page \(type)")
        }
        let json = try site.json()
        let entries = json["postmortems"] as? [[String: Any]] ?? []
        let types = Set(entries.flatMap { ($0["factors"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String } })
        for type in types {
            #expect(site.exists("factors/\(Normalise.slug(type))/index.html"), "every type found has a page: \(type)")
        }
        let process = try site.page("factors/process/index.html")
        let processCount = entries.flatMap { ($0["factors"] as? [[String: Any]] ?? []) }.filter { $0["type"] as? String == "Process" }.count
        #expect(processCount > 0)
        #expect(process.components(separatedBy: "<tr><td>").count - 1 == processCount)
        #expect(try site.page("factors/index.html").contains("Process"))
    }

    @Test("taxonomy pages for services, severity, tags and years, and a 404 page")
    func taxonomies() throws {
        let repo = try Self.sampleRepository()
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        let entries = try site.json()["postmortems"] as? [[String: Any]] ?? []
        for entry in entries {
            for service in entry["services"] as? [String] ?? [] {
                let page = try site.page("services/\(Normalise.slug(service))/index.html")
                #expect(page.contains("postmortems/\(entry["id"] as! String)/"))
            }
            if let severity = entry["severity"] as? String {
                #expect(site.exists("severity/\(severity.lowercased())/index.html"))
            }
            if let date = entry["date"] as? String {
                #expect(site.exists("years/\(date.prefix(4))/index.html"))
            }
            for tag in entry["tags"] as? [String] ?? [] {
                #expect(site.exists("tags/\(Normalise.slug(tag))/index.html"))
            }
        }
        for list in ["services", "severity", "tags", "years", "factors"] {
            #expect(site.exists("\(list)/index.html"))
        }
        #expect(site.exists("404.html"))
        #expect(site.exists("assets/style.css"))
    }

    @Test("drafts are built with --drafts")
    func drafts() throws {
        let repo = try Self.sampleRepository()
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out, drafts: true)
        let entries = try site.json()["postmortems"] as? [[String: Any]] ?? []
        #expect(entries.count == Self.sampleFiles().count)
        #expect(entries.contains { $0["status"] as? String == "draft" })
    }

    @Test("the JSON export has exactly the documented keys")
    func jsonKeys() throws {
        let repo = try Self.sampleRepository()
        let out = try TemporaryFolder()
        let (site, _) = try buildSite(.git(repository: repo.path, revision: "HEAD"), into: out)
        let json = try site.json()
        #expect(Set(json.keys) == ["generator", "commit", "postmortems"])
        #expect(json["commit"] as? String == (try repo.repository.commit("HEAD").id.hex))
        let entries = try #require(json["postmortems"] as? [[String: Any]])
        for entry in entries {
            #expect(Set(entry.keys) == [
                "id", "title", "url", "source", "source_url", "date", "severity", "status", "near_miss", "services", "tags",
                "times", "durations_minutes", "origins", "factors", "action_items", "timeline", "history", "repeats",
            ])
            // Every origin is a fact's name and one of the places facts are read from; every sample file is dated.
            let origins = try #require(entry["origins"] as? [String: String])
            #expect(Set(origins.keys).isSubset(of: Fact.allCases.map(\.rawValue)))
            #expect(Set(origins.values).isSubset(of: Origin.allCases.map(\.rawValue)))
            #expect(["front matter", "file name", "timeline"].contains(origins["date"] ?? ""))
            #expect(Set((entry["times"] as? [String: Any] ?? [:]).keys) == ["started", "detected", "acknowledged", "mitigated", "resolved"])
            #expect(Set((entry["durations_minutes"] as? [String: Any] ?? [:]).keys) == ["to_detect", "to_repair", "to_resolve"])
            #expect(Set((entry["history"] as? [String: Any] ?? [:]).keys) == ["created", "updated", "revisions", "created_commit", "updated_commit"])
            for factor in entry["factors"] as? [[String: Any]] ?? [] {
                #expect(Set(factor.keys) == ["text", "type", "contribution"])
            }
            for item in entry["action_items"] as? [[String: Any]] ?? [] {
                #expect(Set(item.keys) == ["text", "owner", "priority", "status", "completed", "completed_commit"])
            }
            for link in entry["repeats"] as? [[String: Any]] ?? [] {
                #expect(Set(link.keys) == ["id", "kind", "reason"])
            }
            for line in entry["timeline"] as? [[String: Any]] ?? [] {
                #expect(Set(line.keys) == ["time", "timestamp", "event"])
            }
            let id = entry["id"] as! String
            #expect(entry["url"] as? String == "/postmortems/\(id)/")
            #expect((entry["source"] as? String)?.hasPrefix("Content/") == true)
            #expect((entry["history"] as? [String: Any])?["revisions"] as? Int == 1)
        }
    }
}

func escapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "'", with: "&#39;")
}
