import MustacheKit
import Testing

@Suite("TemplateEncoder: view models as the values templates see")
struct TemplateEncoderTests {
    struct Link: Encodable { let title: String, href: String }
    struct Card: Encodable {
        let id: String
        let bodyHTML: HTML
        let hasTOC: Bool
        let severityClass: String?
        let pmTitle: String
        let links: [Link]
        let count: Int
        let share: Double
    }
    struct Extra: Encodable { let id: String, note: String }

    @Test("property names become snake case, acronyms as one word")
    func names() {
        let value = TemplateEncoder.encode(Card(
            id: "a", bodyHTML: HTML("<p>x</p>"), hasTOC: true, severityClass: nil, pmTitle: "T",
            links: [Link(title: "L", href: "h")], count: 0, share: 0.5))
        guard case .object(let object) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(object.fields.keys.sorted() == ["body_html", "count", "has_toc", "id", "links", "pm_title", "severity_class", "share"])
        #expect(object["body_html"] == .html("<p>x</p>"))
        #expect(object["has_toc"] == .bool(true))
        #expect(object["count"] == .int(0))
        #expect(object["share"] == .double(0.5))
        #expect(object["links"] == .list([["title": "L", "href": "h"]]))
    }

    @Test("a nil optional is null, present under its name, so a template never finds an outer value instead")
    func nilIsNull() {
        struct Optionals: Encodable { let text: String?, number: Int?, link: Link?, list: [String?] }
        let value = TemplateEncoder.encode(Optionals(text: nil, number: nil, link: nil, list: ["a", nil]))
        #expect(value == ["text": nil, "number": nil, "link": nil, "list": ["a", nil]])
    }

    @Test("merged models are one object, the second's fields winning")
    func merged() {
        let value = TemplateEncoder.encode(Merged(Link(title: "L", href: "h"), Extra(id: "x", note: "n")))
        #expect(value == ["title": "L", "href": "h", "id": "x", "note": "n"])
        let over = TemplateEncoder.encode(Merged(Extra(id: "first", note: "n"), Extra(id: "second", note: "m")))
        #expect(over == ["id": "second", "note": "m"])
    }

    @Test("snake case of the names view models use")
    func snakeCase() {
        for (name, expected) in [
            ("title", "title"), ("bodyHTML", "body_html"), ("hasTOC", "has_toc"), ("HTMLBody", "html_body"),
            ("createdCommitHref", "created_commit_href"), ("days_to_complete", "days_to_complete"), ("p90", "p90"),
        ] {
            struct One: Encodable {
                let name: String
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encode(1, forKey: Key(stringValue: name)!)
                }
                struct Key: CodingKey {
                    let stringValue: String
                    init?(stringValue: String) { self.stringValue = stringValue }
                    var intValue: Int? { nil }
                    init?(intValue: Int) { nil }
                }
            }
            #expect(TemplateEncoder.encode(One(name: name)) == .object(TemplateObject([expected: 1])), "\(name)")
        }
    }
}
