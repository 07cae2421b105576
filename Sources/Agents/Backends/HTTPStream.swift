// One HTTP exchange whose body arrives piece by piece: a URLSession data task turned into an async response
// head and an AsyncThrowingStream of body chunks (FoundationNetworking has no async byte stream on Linux).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A response whose head has arrived; its body streams.
final class HTTPStream: @unchecked Sendable {
    let status: Int
    private let headers: [String: String]
    /// The body in the pieces the network delivered them.
    let body: AsyncThrowingStream<Data, any Error>
    private let task: URLSessionDataTask

    private init(status: Int, headers: [String: String], body: AsyncThrowingStream<Data, any Error>,
                 task: URLSessionDataTask) {
        self.status = status
        self.headers = headers
        self.body = body
        self.task = task
    }

    /// A header of the response (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// Stops the transfer (the body stream then ends).
    func cancel() { task.cancel() }

    /// Sends `request` and waits for the response head. Cancelling the calling task cancels the request.
    static func start(_ request: URLRequest) async throws -> HTTPStream {
        let delegate = Delegate()
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        let task = session.dataTask(with: request)
        // A reader that stops (or is cancelled) stops the transfer.
        delegate.onStop { task.cancel() }
        return try await withTaskCancellationHandler {
            let head = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPURLResponse, any Error>) in
                delegate.begin(head: continuation)
                task.resume()
                session.finishTasksAndInvalidate()
            }
            var headers: [String: String] = [:]
            for (key, value) in head.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            return HTTPStream(status: head.statusCode, headers: headers, body: delegate.body, task: task)
        } onCancel: {
            task.cancel()
        }
    }

    /// Receives the task's callbacks on URLSession's queue and hands them to the async side.
    private final class Delegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        private let lock = NSLock()
        private var head: CheckedContinuation<HTTPURLResponse, any Error>?
        let body: AsyncThrowingStream<Data, any Error>
        private let chunks: AsyncThrowingStream<Data, any Error>.Continuation

        override init() {
            (body, chunks) = AsyncThrowingStream<Data, any Error>.makeStream()
            super.init()
        }

        func onStop(_ stop: @escaping @Sendable () -> Void) {
            chunks.onTermination = { _ in stop() }
        }

        func begin(head continuation: CheckedContinuation<HTTPURLResponse, any Error>) {
            lock.lock()
            head = continuation
            lock.unlock()
        }

        private func takeHead() -> CheckedContinuation<HTTPURLResponse, any Error>? {
            lock.lock()
            defer { lock.unlock() }
            let continuation = head
            head = nil
            return continuation
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
            if let http = response as? HTTPURLResponse {
                takeHead()?.resume(returning: http)
            } else {
                takeHead()?.resume(throwing: URLError(.badServerResponse))
            }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            chunks.yield(data)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            if let error {
                takeHead()?.resume(throwing: error)
                chunks.finish(throwing: error)
            } else {
                takeHead()?.resume(throwing: URLError(.badServerResponse))
                chunks.finish()
            }
        }
    }
}
