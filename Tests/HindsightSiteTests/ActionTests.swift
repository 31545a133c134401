import Foundation
import TestSupport
import Testing
import Yams

/// action.yml, the composite GitHub Action: its structure, and its run steps executed offline as bash
/// against real repositories, as the runner would execute them.
@Suite("GitHub Action")
struct ActionTests {
    static func load(_ path: String) throws -> [String: Any] {
        let text = try String(contentsOf: packageRoot().appendingPathComponent(path), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any], "\(path) is a YAML mapping")
    }

    static func expressions(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"\$\{\{\s*(.*?)\s*\}\}"#)
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
    }

    @Test("action.yml: a composite action whose steps are shell run steps (or the cache), every input described and defined")
    func structure() throws {
        let action = try Self.load("action.yml")
        #expect(action["name"] as? String == "Hindsight")
        #expect((action["description"] as? String)?.isEmpty == false)
        let inputs = try #require(action["inputs"] as? [String: [String: Any]])
        for (name, input) in inputs {
            #expect((input["description"] as? String)?.isEmpty == false, "\(name) has a description")
            #expect(input["default"] is String, "\(name) has a default, so every input is optional")
        }
        for needed in ["command", "revision", "changed-since", "format", "baseline", "output", "strict", "fail-on-findings"] {
            #expect(inputs[needed] != nil, "input \(needed)")
        }

        let runs = try #require(action["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        let steps = try #require(runs["steps"] as? [[String: Any]])
        var ids: Set<String> = []
        for step in steps {
            if let uses = step["uses"] as? String {
                #expect(uses.hasPrefix("actions/cache@"), "the only action used is the cache: \(uses)")
            } else {
                #expect(step["run"] is String, "a run step: \(step)")
                #expect(step["shell"] as? String == "bash", "composite run steps name their shell: \(step)")
                // Inputs reach the script through env:, never pasted into it, so no value can inject shell.
                #expect(Self.expressions(in: step["run"] as? String ?? "").isEmpty, "no expression in a script: \(step)")
            }
            // Expressions name defined inputs and earlier steps only.
            let text = try Yams.dump(object: step)
            for expression in Self.expressions(in: text) {
                if expression.hasPrefix("inputs.") {
                    #expect(inputs[String(expression.dropFirst("inputs.".count))] != nil, "\(expression) is an input")
                } else if expression.hasPrefix("steps.") {
                    let id = expression.split(separator: ".")[1]
                    #expect(ids.contains(String(id)), "\(expression) names an earlier step")
                } else {
                    #expect(expression == "github.action_path", "unexpected expression \(expression)")
                }
            }
            if let id = step["id"] as? String { ids.insert(id) }
        }
        let outputs = try #require(action["outputs"] as? [String: [String: Any]])
        for (name, output) in outputs {
            for expression in Self.expressions(in: output["value"] as? String ?? "") {
                #expect(ids.contains(String(expression.split(separator: ".")[1])), "output \(name): \(expression)")
            }
        }
    }

    @Test("the workflows in docs/ci use the action with inputs it has, and keep plain-steps versions")
    func workflowsUseTheAction() throws {
        let inputs = try #require(try Self.load("action.yml")["inputs"] as? [String: Any])
        for file in ["docs/ci/github-check.yml", "docs/ci/github-publish.yml"] {
            let workflow = try Self.load(file)
            let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
            var uses = 0
            for (_, job) in jobs {
                for step in job["steps"] as? [[String: Any]] ?? [] where (step["uses"] as? String)?.hasPrefix("YOUR-ORG/hindsight@") == true {
                    uses += 1
                    for key in (step["with"] as? [String: Any] ?? [:]).keys {
                        #expect(inputs[key] != nil, "\(file): input \(key)")
                    }
                }
            }
            #expect(uses > 0, "\(file) uses the action")
            let plain = try String(
                contentsOf: packageRoot().appendingPathComponent(file.replacingOccurrences(of: "docs/ci/", with: "docs/ci/plain/")),
                encoding: .utf8)
            #expect(plain.contains("YOUR-ORG/hindsight@") == false, "\(file)'s plain version builds hindsight in its own steps")
            #expect(plain.contains("hindsight check --changed-since"), "\(file)'s plain version checks pull requests")
        }
    }

    @Test("check through the action: a clean archive passes, blame fails, a baseline and fail-on-findings: false pass")
    func check() throws {
        let repo = try TemporaryRepository()
        try repo.commit([
            "hindsight.yml": "title: Gate\n",
            "Content/2025/2025-03-04-checkout-latency.md": CheckCommandTests.clean,
        ])
        let runner = try ActionRunner()
        let clean = try runner.run(["command": "check"], in: repo.url)
        #expect(clean.status == 0, "\(clean.log)")
        #expect(clean.outputs["run"]?["status"] == "0")

        try repo.commit(["Content/2025/2025-03-05-cache-outage.md": PreCommitHookTests.blameFull])
        let blamed = try runner.run(["command": "check"], in: repo.url)
        #expect(blamed.status == 1, "\(blamed.log)")
        #expect(blamed.log.contains("::error file=Content/2025/2025-03-05-cache-outage.md,line=10,"), "\(blamed.log)")

        let missing = try runner.run(["command": "check", "baseline": ".hindsight-baseline.json"], in: repo.url)
        #expect(missing.status == 1)
        #expect(missing.log.contains("::notice::no baseline at .hindsight-baseline.json"))

        let written = try HindsightCommand.run(["check", "--write-baseline", ".hindsight-baseline.json"], in: repo.url)
        #expect(written.status == 0)
        let baselined = try runner.run(["command": "check", "baseline": ".hindsight-baseline.json", "format": "text"], in: repo.url)
        #expect(baselined.status == 0, "\(baselined.log)")
        #expect(baselined.log.contains("baselined finding"), "\(baselined.log)")

        // The code-scanning job: the SARIF report is written and the step passes; the status output says 1.
        let sarif = try runner.run(
            ["command": "check", "format": "sarif", "output": "hindsight.sarif", "fail-on-findings": "false"], in: repo.url)
        #expect(sarif.status == 0, "\(sarif.log)")
        #expect(sarif.outputs["run"]?["status"] == "1")
        let report = try String(contentsOf: repo.url.appendingPathComponent("hindsight.sarif"), encoding: .utf8)
        #expect(report.contains("\"version\" : \"2.1.0\""))

        let pullRequest = try runner.run(["command": "check", "changed-since": "HEAD~1", "args": "--strict"], in: repo.url)
        #expect(pullRequest.status == 1)
        let usage = try runner.run(["command": "check", "changed-since": "no-such-branch"], in: repo.url)
        #expect(usage.status == 2, "a check that cannot run fails even with fail-on-findings: false")
    }

    @Test("build and install through the action: the site's folder, the binary output, bad inputs exit 2")
    func build() throws {
        let repo = try TemporaryRepository()
        try repo.commit(["Content/2025/2025-03-04-checkout-latency.md": CheckCommandTests.clean])
        let runner = try ActionRunner()
        let built = try runner.run(["command": "build", "output": "public-site", "edition": "public"], in: repo.url)
        #expect(built.status == 0, "\(built.log)")
        #expect(FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("public-site/index.html").path))

        let installed = try runner.run(["command": "install"], in: repo.url)
        #expect(installed.status == 0)
        let binary = try #require(installed.outputs["setup"]?["binary"])
        #expect(FileManager.default.isExecutableFile(atPath: binary))

        #expect(try runner.run(["command": "publish"], in: repo.url).status == 2)
        #expect(try runner.run(["command": "build", "edition": "everyone"], in: repo.url).status == 2)
    }
}

/// Runs action.yml's steps as the runner would: expressions substituted, each run step in
/// `bash --noprofile --norc -eo pipefail`, outputs through $GITHUB_OUTPUT. The one `uses:` step, the
/// cache, restores this test run's build of hindsight: the network is not needed, and neither is a
/// release build.
struct ActionRunner {
    struct Run {
        var status: Int32
        var log: String
        var outputs: [String: [String: String]]
    }

    let steps: [[String: Any]]
    let defaults: [String: String]
    let scratch: TemporaryFolder

    init() throws {
        let action = try ActionTests.load("action.yml")
        let inputs = try #require(action["inputs"] as? [String: [String: Any]])
        defaults = inputs.compactMapValues { $0["default"] as? String }
        steps = try #require((action["runs"] as? [String: Any])?["steps"] as? [[String: Any]])
        scratch = try TemporaryFolder()
    }

    func run(_ given: [String: String], in workspace: URL) throws -> Run {
        let inputs = defaults.merging(given) { $1 }
        var outputs: [String: [String: String]] = [:]
        var log = ""
        let temp = scratch.url.appendingPathComponent("runner-temp")
        let home = scratch.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)

        func substitute(_ text: String) throws -> String {
            let pattern = try NSRegularExpression(pattern: #"\$\{\{\s*(.*?)\s*\}\}"#)
            var result = text
            // From the end, so earlier ranges stay valid.
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
                guard let whole = Range(match.range, in: result), let inner = Range(match.range(at: 1), in: result) else { continue }
                let expression = String(result[inner])
                let parts = expression.split(separator: ".").map(String.init)
                let value: String
                if parts.first == "inputs", parts.count == 2 {
                    value = inputs[parts[1]] ?? ""
                } else if parts.first == "steps", parts.count == 4 {
                    value = outputs[parts[1]]?[parts[3]] ?? ""
                } else if expression == "github.action_path" {
                    value = packageRoot().path
                } else {
                    Issue.record("the runner would need to evaluate \(expression)")
                    value = ""
                }
                result.replaceSubrange(whole, with: value)
            }
            return result
        }

        for (index, step) in steps.enumerated() {
            if let uses = step["uses"] as? String {
                #expect(uses.hasPrefix("actions/cache@"))
                let with = step["with"] as? [String: String] ?? [:]
                let path = URL(fileURLWithPath: try substitute(with["path"] ?? ""))
                let bin = path.appendingPathComponent("bin")
                if FileManager.default.fileExists(atPath: bin.path) == false {
                    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
                    // The theme sits beside the real binary, so a link finds it as an installed one does.
                    try FileManager.default.createSymbolicLink(
                        at: bin.appendingPathComponent("hindsight"), withDestinationURL: HindsightCommand.binary)
                }
                continue
            }
            let script = scratch.url.appendingPathComponent("step-\(index).sh")
            try Data((step["run"] as? String ?? "").utf8).write(to: script)
            let outputFile = scratch.url.appendingPathComponent("output-\(index)")
            try Data().write(to: outputFile)
            var environment = [
                "GITHUB_OUTPUT": outputFile.path, "GITHUB_WORKSPACE": workspace.path, "RUNNER_TEMP": temp.path,
                "HOME": home.path, "NO_COLOR": "1",
            ]
            for (key, value) in step["env"] as? [String: String] ?? [:] { environment[key] = try substitute(value) }
            let result = try Subprocess.run(
                "/bin/bash", ["--noprofile", "--norc", "-eo", "pipefail", script.path], in: workspace, environment: environment)
            log += result.stdout + result.stderr
            if let id = step["id"] as? String {
                var values: [String: String] = [:]
                for line in try String(contentsOf: outputFile, encoding: .utf8).split(separator: "\n") {
                    guard let equals = line.firstIndex(of: "=") else { continue }
                    values[String(line[..<equals])] = String(line[line.index(after: equals)...])
                }
                outputs[id] = values
            }
            if result.status != 0 { return Run(status: result.status, log: log, outputs: outputs) }
        }
        return Run(status: 0, log: log, outputs: outputs)
    }
}
