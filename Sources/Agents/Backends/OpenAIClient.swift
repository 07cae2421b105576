// The HTTP side of remote models: requests to an OpenAI-compatible API with the key, timeouts, and retries
// with exponential back-off for what retrying can fix (connection failures, timeouts, 429, 5xx).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to one `RemoteEndpoint`: JSON requests in, JSON answers (or a stream of JSON events) out.
///
/// Why retries live here and only before the first streamed byte: once a reply has started, its tokens have
/// been shown and counted, so a silent retry would show them twice; a stream that breaks mid-way is an error
/// the caller records (with the tokens so far) instead.
///
/// Why URLSession (libcurl on Linux) rather than a NIO client: it brings TLS for hosted APIs with the
/// system's certificates and costs no build time, where async-http-client would compile BoringSSL.
public struct OpenAIClient: Sendable {
    public let endpoint: RemoteEndpoint
    private let environment: [String: String]

    public init(endpoint: RemoteEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.endpoint = endpoint
        self.environment = environment
    }

    /// GETs `path` (`models`) and returns its JSON.
    public func get(_ path: String) async throws -> JSON {
        try await send(method: "GET", path: path, body: nil)
    }

    /// POSTs `body` to `path` and returns the JSON answer (a non-streaming completion).
    public func post(_ path: String, body: JSON) async throws -> JSON {
        try await send(method: "POST", path: path, body: body)
    }

    /// POSTs `body` (which should ask for `"stream": true`) and streams the `data:` events as JSON until
    /// `[DONE]`. An `{"error": …}` event ends the stream with `remoteHTTPError`.
    public func stream(_ path: String, body: JSON) -> AsyncThrowingStream<JSON, any Error> {
        let client = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await client.open(method: "POST", path: path, body: body)
                    var parser = SSEParser(source: client.endpoint.url(path))
                    streaming: for try await data in response.body {
                        for event in try parser.feed(data) {
                            let text = event.data.trimmingCharacters(in: .whitespaces)
                            if text == "[DONE]" { break streaming }
                            let value: JSON
                            do {
                                value = try JSON(parsing: text)
                            } catch {
                                throw AgentsError.remoteMalformed(endpoint: client.endpoint.name,
                                                                  problem: "an event is not JSON (\(error)): \(text.prefix(120))")
                            }
                            if let error = value["error"] {
                                throw AgentsError.remoteHTTPError(endpoint: client.endpoint.name, status: 200,
                                                                  message: Self.message(of: error), attempts: 1)
                            }
                            continuation.yield(value)
                        }
                    }
                    response.cancel()
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: client.translate(error, attempts: 1))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: Requests and retries

    private func send(method: String, path: String, body: JSON?) async throws -> JSON {
        let response = try await open(method: method, path: path, body: body)
        var bytes = Data()
        do {
            for try await data in response.body {
                bytes.append(data)
                if bytes.count > 64 << 20 {
                    response.cancel()
                    throw AgentsError.remoteMalformed(endpoint: endpoint.name, problem: "the answer is larger than 64 MiB")
                }
            }
        } catch {
            throw translate(error, attempts: 1)
        }
        do {
            return try JSON(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw AgentsError.remoteMalformed(endpoint: endpoint.name, problem: "the answer is not JSON (\(error))")
        }
    }

    /// Sends the request until it gets a 2xx response head, retrying what can be retried.
    private func open(method: String, path: String, body: JSON?) async throws -> HTTPStream {
        let key = try endpoint.apiKey(environment: environment)
        guard let url = URL(string: endpoint.url(path)) else {
            throw AgentsError.invalidModelReference(reference: endpoint.url(path), problem: "it is not a URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = endpoint.timeout
        request.setValue(body?["stream"]?.boolValue == true ? "text/event-stream" : "application/json",
                         forHTTPHeaderField: "Accept")
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        for (name, value) in endpoint.headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.text.utf8)
        }
        var attempt = 0
        while true {
            attempt += 1
            let failure: AgentsError
            var wait = RetryPolicy.delay(attempt: attempt, base: endpoint.backoff)
            do {
                let response = try await HTTPStream.start(request)
                let status = response.status
                if (200..<300).contains(status) { return response }
                var text = Data()
                for try await data in response.body where text.count < 1 << 20 { text.append(data) }
                let message = Self.errorMessage(in: String(decoding: text, as: UTF8.self))
                let retryAfter = RetryPolicy.retryAfter(response.header("Retry-After"))
                switch status {
                case 429:
                    failure = .remoteRateLimited(endpoint: endpoint.name, attempts: attempt, message: message)
                    if let retryAfter { wait = max(wait, retryAfter) }
                case 500, 502, 503, 504:
                    failure = .remoteHTTPError(endpoint: endpoint.name, status: status, message: message, attempts: attempt)
                    if let retryAfter { wait = max(wait, retryAfter) }
                default:
                    throw AgentsError.remoteHTTPError(endpoint: endpoint.name, status: status, message: message,
                                                      attempts: attempt)
                }
            } catch let error as AgentsError {
                throw error
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                guard let translated = translate(error, attempts: attempt) as? AgentsError else { throw error }
                failure = translated
            }
            guard attempt <= endpoint.maxRetries else { throw failure }
            try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }

    /// A network error as the AgentsError a user can act on.
    func translate(_ error: any Error, attempts: Int) -> any Error {
        if error is AgentsError || error is CancellationError { return error }
        if Task.isCancelled { return CancellationError() }
        if let url = error as? URLError {
            switch url.code {
            case .timedOut:
                return AgentsError.remoteTimedOut(endpoint: endpoint.name, seconds: endpoint.timeout, attempts: attempts)
            case .cancelled:
                return CancellationError()
            case .cannotConnectToHost:
                return AgentsError.remoteUnreachable(endpoint: endpoint.name, reason: "connection refused", attempts: attempts)
            case .cannotFindHost, .dnsLookupFailed:
                return AgentsError.remoteUnreachable(endpoint: endpoint.name, reason: "unknown host", attempts: attempts)
            case .networkConnectionLost:
                return AgentsError.remoteUnreachable(endpoint: endpoint.name, reason: "the connection was lost",
                                                     attempts: attempts)
            default:
                break
            }
        }
        return AgentsError.remoteUnreachable(endpoint: endpoint.name, reason: error.localizedDescription, attempts: attempts)
    }

    /// The `error.message` of an OpenAI-style error body, else the body's first 300 characters.
    static func errorMessage(in body: String) -> String {
        guard let value = try? JSON(parsing: body), let error = value["error"] else {
            return String(body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))
        }
        return message(of: error)
    }

    static func message(of error: JSON) -> String {
        if let text = error.stringValue { return text }
        return error["message"]?.stringValue ?? error.text
    }
}

/// How long to wait before a retry.
enum RetryPolicy {
    /// `base` × 2^(attempt−1), at most 30 s, with up to 10% random jitter so retrying clients spread out.
    static func delay(attempt: Int, base: Double) -> Double {
        let exponential = min(30, base * pow(2, Double(max(0, attempt - 1))))
        return exponential * Double.random(in: 1...1.1)
    }

    /// A `Retry-After` header in seconds (the HTTP-date form is ignored), at most 60 s.
    static func retryAfter(_ header: String?) -> Double? {
        guard let header, let seconds = Double(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return min(60, seconds)
    }
}
