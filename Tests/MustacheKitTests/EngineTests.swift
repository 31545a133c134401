import MustacheKit
import Testing

/// The behaviours the site relies on beyond the spec: escaping, truthiness, errors with positions, limits
/// that keep hostile templates from crashing or hanging a build, and rendering from many tasks at once.
@Suite("MustacheKit engine")
struct EngineTests {
    func render(_ template: String, _ value: TemplateValue = [:], partials: [String: String] = [:]) throws -> String {
        var sources = partials
        sources["main"] = template
        return try TemplateLibrary(sources: sources).render("main", value)
    }

    /// The error compiling `template` as `Theme/templates/main.mustache`.
    func error(_ template: String) -> TemplateError? {
        do {
            _ = try TemplateLibrary(sources: ["main": template], path: { "Theme/templates/\($0).mustache" })
            return nil
        } catch {
            return error
        }
    }

    // MARK: Values

    @Test("{{x}} escapes exactly & < > \" '")
    func escaping() throws {
        #expect(try render("{{x}}", ["x": "a & b < c > d \" e ' f / = `"]) == "a &amp; b &lt; c &gt; d &quot; e &#39; f / = `")
        #expect(try render("{{x}}", ["x": "nothing to escape, ünïcödé"]) == "nothing to escape, ünïcödé")
        #expect(try render("{{x}}", ["x": "<<>>"]) == "&lt;&lt;&gt;&gt;")
    }

    @Test("{{{x}}}, {{&x}} and .html values are written as they are")
    func unescaped() throws {
        let value: TemplateValue = ["x": "<b>&</b>", "h": .html("<p class='a'>&amp;</p>")]
        #expect(try render("{{{x}}}|{{&x}}|{{h}}|{{{h}}}", value) == "<b>&</b>|<b>&</b>|<p class='a'>&amp;</p>|<p class='a'>&amp;</p>")
    }

    @Test("numbers, booleans, null, lists and objects interpolate as documented")
    func interpolation() throws {
        let value: TemplateValue = [
            "i": 42, "negative": .int(-7), "min": .int(Int.min), "zero": 0, "d": .double(1.210), "whole": .double(3),
            "half": .double(-0.5), "big": .double(1e16), "yes": true, "no": false, "nothing": nil,
            "list": [1, 2], "object": ["a": 1],
        ]
        #expect(
            try render("{{i}} {{negative}} {{min}} {{zero}} {{d}} {{whole}} {{half}} {{big}}", value)
                == "42 -7 -9223372036854775808 0 1.21 3 -0.5 1e+16")
        #expect(try render("{{yes}} {{no}} [{{nothing}}] [{{list}}] [{{object}}] [{{missing}}]", value) == "true false [] [] [] []")
    }

    @Test("null, false, \"\", empty .html and [] are false; 0, 0.0, objects and other text are true")
    func truthiness() throws {
        let falsey: [TemplateValue] = [nil, false, "", .html(""), []]
        for value in falsey {
            #expect(try render("{{#v}}yes{{/v}}{{^v}}no{{/v}}", ["v": value]) == "no", "\(value)")
        }
        let truthy: [TemplateValue] = [0, .double(0), true, "0", " ", .html("x"), [:], [nil]]
        for value in truthy {
            #expect(try render("{{#v}}yes{{/v}}{{^v}}no{{/v}}", ["v": value]) == "yes", "\(value)")
        }
        #expect(try render("{{^missing}}absent{{/missing}}") == "absent")
    }

    @Test("a section over a list renders once per item, with the item as the context")
    func lists() throws {
        let value: TemplateValue = ["title": "T", "items": [["name": "a"], ["name": "b", "title": "own"]]]
        #expect(try render("{{#items}}{{name}}:{{title}};{{/items}}", value) == "a:T;b:own;")
        #expect(try render("{{#numbers}}{{.}},{{/numbers}}", ["numbers": [1, "two", .double(3.5)]]) == "1,two,3.5,")
    }

    @Test("a field present as null hides an outer field of the same name")
    func nullMasks() throws {
        let value: TemplateValue = ["name": "outer", "inner": ["name": nil]]
        #expect(try render("{{#inner}}[{{name}}]{{/inner}}", value) == "[]")
        #expect(try render("{{#inner}}[{{title}}]{{/inner}}", ["title": "outer", "inner": [:]]) == "[outer]")
    }

    @Test("dotted names: the first segment is searched outwards, the rest only inside it")
    func dottedNames() throws {
        let value: TemplateValue = ["site": ["title": "S", "links": ["home": "/"]], "page": ["site": ["x": 1]]]
        #expect(try render("{{site.title}} {{site.links.home}} {{site.missing.deeper}}", value) == "S / ")
        #expect(try render("{{#page}}[{{site.title}}]{{/page}}", value) == "[]")
    }

    // MARK: Partials and inheritance

    @Test("a partial that is not in the library renders nothing")
    func missingPartial() throws {
        #expect(try render("a{{>nowhere}}b\n  {{>nowhere}}\nc") == "ab\nc")
        #expect(try render("a{{<nowhere}}{{$x}}y{{/x}}{{/nowhere}}b") == "ab")
    }

    @Test("an unknown template name renders nothing")
    func unknownTemplate() throws {
        let library = try TemplateLibrary(sources: ["a": "A"])
        #expect(library.render("b", [:]) == "")
        var buffer: [UInt8] = [1, 2]
        library.render("b", [:], into: &buffer)
        #expect(buffer == [1, 2])
    }

    @Test("a standalone partial indents its own lines, not the lines of data it writes")
    func partialIndentation() throws {
        let partials = ["card": "<div>\n{{{body}}}\n</div>\n"]
        let value: TemplateValue = ["body": .html("<p>\none</p>")]
        #expect(try render("<main>\n  {{>card}}\n</main>\n", value, partials: partials) == "<main>\n  <div>\n  <p>\none</p>\n  </div>\n</main>\n")
    }

    @Test("a page extends a layout through blocks")
    func layout() throws {
        let partials = [
            "layout": "<title>{{$title}}Site{{/title}}</title>\n<body>\n  {{$body}}\n  empty\n  {{/body}}\n</body>\n"
        ]
        let page = "{{<layout}}\n{{$title}}{{page_title}} · Site{{/title}}\n{{$body}}\n<h1>{{page_title}}</h1>\n<p>x</p>\n{{/body}}\n{{/layout}}\n"
        #expect(
            try render(page, ["page_title": "A & B"], partials: partials)
                == "<title>A &amp; B · Site</title>\n<body>\n  <h1>A &amp; B</h1>\n  <p>x</p>\n</body>\n")
    }

    // MARK: Errors

    @Test("errors give the path, the 1-based line and column of the tag, what is wrong and what to write")
    func errors() throws {
        let cases: [(template: String, line: Int, column: Int, message: String)] = [
            ("<ul>\n  {{#items}}\n  <li>", 2, 3, "unclosed section {{#items}}: end it with {{/items}}"),
            ("{{^items}}", 1, 1, "unclosed inverted section {{^items}}: end it with {{/items}}"),
            ("x\n{{#a}}{{#b}}\n{{/a}}", 3, 1, "{{/a}} does not match the open section {{#b}} at line 2, column 7: close the inner one first with {{/b}}"),
            ("{{#a}}{{/b}}", 1, 7, "{{/b}} does not match the open section {{#a}} at line 1, column 1: write {{/a}}"),
            ("text {{/a}}", 1, 6, "{{/a}} closes nothing: no section named 'a' is open; remove it or open it with {{#a}}"),
            ("a\nb {{title", 2, 3, "unclosed tag: '{{' has no matching '}}'; end the tag with }}"),
            ("{{{title}}", 1, 1, "unclosed triple mustache: '{{{' needs '}}}'; write {{{title}}}"),
            ("{{ }}", 1, 1, "empty tag name in {{}}: write a name, e.g. {{title}}"),
            ("{{#}}{{/}}", 1, 1, "empty tag name in {{#}}: write a name, e.g. {{#items}}"),
            ("{{=<% %}}", 1, 1, "bad set-delimiter tag: write two new delimiters of at most 16 bytes, without '=' or spaces inside, separated by a space, e.g. {{=<% %>=}}"),
            ("{{=a b c=}}", 1, 1, "bad set-delimiter tag: write two new delimiters of at most 16 bytes, without '=' or spaces inside, separated by a space, e.g. {{=<% %>=}}"),
            ("<p>{{uppercased(name)}}</p>", 1, 4, "transforms such as uppercased(name) are not supported: format the value in the view model and write {{name}}"),
            ("{{#reversed(list)}}{{/reversed(list)}}", 1, 1, "transforms such as reversed(list) are not supported: format the value in the view model and write {{#list}}"),
            ("{{% ENABLE_THING }}", 1, 1, "pragmas are not supported; remove the {{%…}} tag (no pragma changes how this engine renders)"),
            ("{{>*name}}", 1, 1, "dynamic partial names are not supported; name the partial: {{> card}}"),
            ("{{a b}}", 1, 1, "tag name 'a b' contains whitespace: a tag takes one name, e.g. {{a}}"),
            ("{{a..b}}", 1, 1, "malformed dotted name 'a..b': separate names with single dots, e.g. {{site.title}}"),
            ("{{ #a }}{{/a}}", 1, 1, "'#' must follow {{ directly: write {{#a}}"),
            ("{{=<% %>=}}\n<%#a%>", 2, 1, "unclosed section <%#a%>: end it with <%/a%>"),
            ("é ü {{#a}}", 1, 5, "unclosed section {{#a}}: end it with {{/a}}"),
        ]
        for test in cases {
            let error = error(test.template)
            #expect(error?.path == "Theme/templates/main.mustache", "\(test.template.debugDescription)")
            #expect(error?.line == test.line, "\(test.template.debugDescription)")
            #expect(error?.column == test.column, "\(test.template.debugDescription)")
            #expect(error?.message == test.message, "\(test.template.debugDescription)")
        }
        #expect(
            error("{{#a}}")?.description
                == "Theme/templates/main.mustache:1:1: error: unclosed section {{#a}}: end it with {{/a}}")
    }

    @Test("the error is about the template that has it")
    func errorPath() {
        do {
            _ = try TemplateLibrary(sources: ["good": "{{a}}", "bad": "ok\n{{#x}}"], path: { "T/\($0).mustache" })
            Issue.record("compiled")
        } catch {
            #expect(error.description == "T/bad.mustache:2:1: error: unclosed section {{#x}}: end it with {{/x}}")
        }
    }

    @Test("nesting deeper than 256 is an error, not a stack overflow")
    func deepNesting() throws {
        let deep = String(repeating: "{{#a}}", count: 257) + String(repeating: "{{/a}}", count: 257)
        let error = error(deep)
        #expect(error?.column == 256 * 6 + 1)
        #expect(error?.message == "sections nest more than 256 deep: move the inner part into a partial")
        let limit = String(repeating: "{{#a}}", count: 256) + "x" + String(repeating: "{{/a}}", count: 256)
        #expect(try render(limit, ["a": true]) == "x")
        let huge = String(repeating: "{{#a}}", count: 100_000)
        #expect(self.error(huge) != nil)
    }

    // MARK: Limits

    @Test("a partial including itself stops 64 inclusions deep")
    func recursionBound() throws {
        #expect(try render("{{>main}}x") == String(repeating: "x", count: 65))
        #expect(try render("{{<main}}{{/main}}y") == String(repeating: "y", count: 65))
    }

    @Test("a template including itself twice per level stops after stepLimit nodes")
    func exponentialRecursion() throws {
        var library = try TemplateLibrary(sources: ["main": "{{>main}}{{>main}}x"])
        #expect(library.stepLimit == 1 << 24)
        library.stepLimit = 30_000
        let output = library.render("main", [:])
        // Every node is a partial or the text: about a third of the steps write an "x".
        #expect(output.utf8.count > 9_000)
        #expect(output.utf8.count <= 10_000)
        #expect(output.utf8.allSatisfy { $0 == UInt8(ascii: "x") })
    }

    @Test("a render stops once it has written outputLimit bytes")
    func outputBound() throws {
        var library = try TemplateLibrary(sources: ["main": "{{>main}}{{>main}}0123456789"])
        #expect(library.outputLimit == 1 << 28)
        library.outputLimit = 1_000
        var buffer = Array(repeating: UInt8(ascii: "-"), count: 5_000)
        library.render("main", [:], into: &buffer)
        // The limit counts from where this render starts; the node that crosses it finishes.
        #expect(buffer.count > 6_000)
        #expect(buffer.count <= 6_010)
    }

    // MARK: Rendering

    @Test("rendering appends to the bytes already in the buffer")
    func appends() throws {
        let library = try TemplateLibrary(sources: ["a": "<{{x}}>"])
        var buffer = Array("start:".utf8)
        library.render("a", ["x": 1], into: &buffer)
        library.render("a", ["x": "&"], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "start:<1><&amp;>")
    }

    @Test("one library rendered from many tasks at once gives the same output each time")
    func concurrentRendering() async throws {
        let library = try TemplateLibrary(sources: [
            "page": "{{<layout}}{{$body}}{{#items}}{{>item}}{{/items}}{{/body}}{{/layout}}",
            "layout": "<main>{{$body}}{{/body}}</main>",
            "item": "<li>{{name}} {{n}}</li>",
        ])
        let items: [TemplateValue] = (0..<50).map { ["name": .string("item <\($0)>"), "n": .int($0)] }
        let value: TemplateValue = ["items": .list(items)]
        let expected = library.render("page", value)
        #expect(expected.hasPrefix("<main><li>item &lt;0&gt; 0</li>"))
        let outputs = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<50).map { _ in library.render("page", value) } }
            }
            var all: [String] = []
            for await outputs in group { all += outputs }
            return all
        }
        #expect(outputs.count == 400)
        #expect(outputs.allSatisfy { $0 == expected })
    }

    @Test("names are sorted; contains knows them")
    func names() throws {
        let library = try TemplateLibrary(sources: ["b": "", "a": "", "c/d": ""])
        #expect(library.names == ["a", "b", "c/d"])
        #expect(library.contains("c/d"))
        #expect(library.contains("e") == false)
    }

    @Test("mentions finds dotted names written whole, under sections, or through partials")
    func mentions() throws {
        let library = try TemplateLibrary(sources: [
            "footer": "{{site.commit_short}}",
            "page": "{{#site}}{{#links}}{{home}}{{/links}}{{/site}}{{>footer}}",
            "other": "{{title}}",
        ])
        #expect(library.mentions("site.commit_short"))
        #expect(library.mentions("site"))
        #expect(library.mentions("site.links.home"))
        #expect(library.mentions("links.home"))
        #expect(library.mentions("site.home"))
        #expect(library.mentions("site.title") == false)
        #expect(library.mentions("site.commit_short", in: "page"))
        #expect(library.mentions("site.commit_short", in: "other") == false)
        #expect(library.mentions("title", in: "other"))
        #expect(library.mentions("") == false)
    }
}
