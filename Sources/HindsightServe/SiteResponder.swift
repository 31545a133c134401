import Foundation
import Hummingbird

/// Answers the preview's requests: the live-reload event stream, and files of the output folder, never
/// anything outside it.
struct SiteResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The output folder (standardised).
    let root: URL
    let state: BuildState

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            return plain(.methodNotAllowed, "Only GET and HEAD are served.\n", extra: [.allow: "GET, HEAD"])
        }
        let rawPath = request.uri.path
        if rawPath == LiveReload.eventsPath { return await events() }
        if rawPath == LiveReload.scriptPath {
            return response(.ok, data: Data(LiveReload.script.utf8), type: "text/javascript; charset=utf-8", head: request.method == .head)
        }

        guard let components = Self.components(of: rawPath) else {
            return plain(.badRequest, "Bad path.\n")
        }
        let generation = await state.generation
        let wantsFolder = rawPath.hasSuffix("/")
        guard let (file, isFolder) = resolve(components) else { return await notFound(generation: generation) }
        if isFolder && wantsFolder == false {
            // Pages link relatively: a folder is always addressed with its trailing slash.
            var response = Response(status: .movedPermanently)
            response.headers[.location] = rawPath + "/" + (request.uri.query.map { "?" + $0 } ?? "")
            return response
        }
        guard var data = try? Data(contentsOf: file) else { return await notFound(generation: generation) }
        let type = MediaType.getMediaType(forExtension: file.pathExtension)?.description ?? "application/octet-stream"
        if file.pathExtension.lowercased() == "html" { data = LiveReload.inject(into: data, generation: generation) }
        return response(.ok, data: data, type: type, head: request.method == .head)
    }

    /// The path's components, percent-decoded; nil for anything that could name a file outside the folder
    /// (`..` in any encoding, NUL bytes, backslashes).
    static func components(of rawPath: String) -> [String]? {
        guard rawPath.hasPrefix("/") else { return nil }
        var out: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            guard let component = String(raw).removingPercentEncoding,
                component != "..", component != ".", component.contains("/") == false,
                component.contains("\\") == false, component.contains("\0") == false
            else { return nil }
            out.append(component)
        }
        return out
    }

    /// The file a path names, with `index.html` for folders; nil when it does not exist or resolves
    /// (through a symbolic link) outside the output folder.
    private func resolve(_ components: [String]) -> (URL, isFolder: Bool)? {
        var url = root
        for component in components { url.appendPathComponent(component) }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        let isFolder = isDirectory.boolValue
        if isFolder { url.appendPathComponent("index.html") }
        let realRoot = root.resolvingSymlinksInPath().path
        let realFile = url.resolvingSymlinksInPath().path
        guard realFile.hasPrefix(realRoot + "/") else { return nil }
        return (url, isFolder)
    }

    /// The site's own 404 page (with live reload, so it turns into the page once it exists).
    private func notFound(generation: Int) async -> Response {
        let page = root.appendingPathComponent("404.html")
        if let data = try? Data(contentsOf: page) {
            return response(.notFound, data: LiveReload.inject(into: data, generation: generation), type: "text/html; charset=utf-8")
        }
        return plain(.notFound, "Not found.\n")
    }

    /// The server-sent event stream a page listens to for reloads and build errors.
    private func events() async -> Response {
        let stream = await state.subscribe()
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                for await chunk in stream {
                    try await writer.write(ByteBuffer(string: chunk))
                }
                try await writer.finish(nil)
            })
    }

    private func response(_ status: HTTPResponse.Status, data: Data, type: String, head: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        // A preview is always fresh: the browser must not keep an old page or asset.
        headers[.cacheControl] = "no-store"
        // An attachment is never run as a page or script, whatever its bytes look like.
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentLength] = String(data.count)
        return Response(
            status: status, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func plain(_ status: HTTPResponse.Status, _ text: String, extra: HTTPFields = [:]) -> Response {
        var response = response(status, data: Data(text.utf8), type: "text/plain; charset=utf-8")
        for field in extra { response.headers.append(field) }
        return response
    }
}
