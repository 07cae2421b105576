// Exports: JSON Lines read back into the same records, and CSV checked against Python's csv module (an
// independent RFC 4180 reader) for fields with commas, quotes and line breaks.
import Foundation
import Ledger
import TestSupport
import XCTest

final class LedgerExportTests: XCTestCase {
    /// Records whose text fields need quoting in CSV.
    func awkwardRecords() -> [CallRecord] {
        var first = modelCall("r1", agent: "planner, v2", prompt: 1000, cached: 400, generated: 500, compute: 1.5,
                              local: 41_667, cloud: 7_000_000)
        first.errorText = "he said \"no\"\nthen left\r\nfor good"
        first.details = ["stop": "eos", "tokens": [1, 2, 3]]
        first.timeToFirstToken = 0.125
        first.tokensPerSecond = 42.5
        let second = modelCall("r2", parent: "r1", at: 2, kind: .tool, tool: "shell")
        return [first, second]
    }

    func testCSVQuotingFollowsRFC4180() {
        XCTAssertEqual(LedgerExport.csvQuoted("plain"), "plain")
        XCTAssertEqual(LedgerExport.csvQuoted("a,b"), "\"a,b\"")
        XCTAssertEqual(LedgerExport.csvQuoted("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(LedgerExport.csvQuoted("line\nbreak"), "\"line\nbreak\"")
        XCTAssertEqual(LedgerExport.csvQuoted("carriage\rreturn"), "\"carriage\rreturn\"")
        XCTAssertEqual(LedgerExport.csvQuoted(""), "")
    }

    func testCSVHasAHeaderAndCRLFLineEnds() throws {
        let csv = try LedgerExport.string(awkwardRecords(), format: .csv)
        XCTAssertTrue(csv.hasPrefix(LedgerExport.csvColumns.joined(separator: ",") + "\r\n"))
        XCTAssertTrue(csv.hasSuffix("\r\n"))
        let secondRow = "r2,r1,run-1,session-1,tool,coder,SmolLM2-135M-Instruct.Q4_1.gguf,shell,"
            + "2025-07-01T12:00:02.125Z,2025-07-01T12:00:03.625Z,0,0,0,0,0,0,1.0,1.0,,,0.000000,0.000000000,,,ok,,\r\n"
        XCTAssertTrue(csv.hasSuffix(secondRow), csv)
    }

    func testCSVReadsBackFieldForFieldWithPythonsCSVModule() throws {
        let records = awkwardRecords()
        let csv = try LedgerExport.string(records, format: .csv)
        let reader = "import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))))"
        let (status, output) = TestResources.python(reader, stdin: csv)
        XCTAssertEqual(status, 0, output)
        let rows = try JSONDecoder().decode([[String]].self, from: Data(output.utf8))
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0], LedgerExport.csvColumns)
        let row = Dictionary(uniqueKeysWithValues: zip(rows[0], rows[1]))
        XCTAssertEqual(row["agent"], "planner, v2")
        XCTAssertEqual(row["error"], "he said \"no\"\nthen left\r\nfor good")
        XCTAssertEqual(row["details"], #"{"stop":"eos","tokens":[1,2,3]}"#)
        XCTAssertEqual(row["started_at"], "2025-07-01T12:00:00.125Z")
        XCTAssertEqual(row["prompt_tokens"], "1000")
        XCTAssertEqual(row["cached_tokens"], "400")
        XCTAssertEqual(row["compute_seconds"], "1.500000")
        XCTAssertEqual(row["local_cost_usd"], "0.000041667")
        XCTAssertEqual(row["cloud_cost_usd"], "0.007000000")
        XCTAssertEqual(row["ttft_seconds"], "0.125")
        XCTAssertEqual(rows[2].count, LedgerExport.csvColumns.count)
    }

    func testJSONLinesDecodeBackIntoTheSameRecords() throws {
        let records = awkwardRecords()
        let jsonl = try LedgerExport.string(records, format: .jsonl)
        let lines = jsonl.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, records.count + 1, "one line per record, each ended by a newline")
        XCTAssertEqual(lines.last, "")
        let decoded = try lines.dropLast().map { try JSONDecoder().decode(CallRecord.self, from: Data($0.utf8)) }
        XCTAssertEqual(decoded, records)
    }

    func testJSONLinesAreReadableByPythonWithDollarsAndUTCTimes() throws {
        let jsonl = try LedgerExport.string(awkwardRecords(), format: .jsonl)
        let reader = """
            import json, sys
            rows = [json.loads(line) for line in sys.stdin.read().splitlines()]
            r = rows[0]
            print(r["started_at"], r["cloud_cost_usd"], r["tokens"]["cached"], r["parent_id"], rows[1]["parent_id"], r["details"]["tokens"])
            """
        let (status, output) = TestResources.python(reader, stdin: jsonl)
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output.trimmingCharacters(in: .newlines), "2025-07-01T12:00:00.125Z 0.007 400 None r1 [1, 2, 3]")
    }

    func testStoreExportsTheFilteredCallsToAFile() async throws {
        let directory = try makeTemporaryDirectory(self)
        let store = try LedgerStore(path: directory.appendingPathComponent("l.sqlite").path)
        try await store.insert(awkwardRecords() + [modelCall("elsewhere", run: "run-9", at: 9)])
        let url = directory.appendingPathComponent("export.csv")
        XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try await store.export(matching: LedgerFilter(runID: "run-1"), format: .csv, to: handle, destination: url.path)
        try handle.close()
        let written = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(written, try LedgerExport.string(awkwardRecords(), format: .csv))
        let asText = try await store.export(matching: LedgerFilter(runID: "run-1"), format: .jsonl)
        XCTAssertEqual(asText, try LedgerExport.string(awkwardRecords(), format: .jsonl))
    }
}
