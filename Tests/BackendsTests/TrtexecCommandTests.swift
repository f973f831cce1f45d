import Backends
import Foundation
import Testing

private let model = URL(fileURLWithPath: "/models/resnet18.onnx")
private let v7 = TensorRTVersion(major: 7, minor: 2, patch: 3)
private let v82 = TensorRTVersion(major: 8, minor: 2, patch: 1)
private let v86 = TensorRTVersion(major: 8, minor: 6, patch: 1)
private let v10 = TensorRTVersion(major: 10, minor: 16, patch: 1)
private let v11 = TensorRTVersion(major: 11, minor: 4, patch: 1)

@Suite struct TrtexecCommandTests {
    @Test func fullBenchmarkCommandOfRelease10() throws {
        var command = TrtexecCommand(onnx: model, saveEngine: URL(fileURLWithPath: "/tmp/m.engine"))
        command.shapes = ["input": [8, 3, 224, 224], "aux": [8, 4]]
        command.precision = .fp16
        command.iterations = 200
        command.durationSeconds = 5
        command.warmUpMilliseconds = 500
        command.workspaceMiB = 1024
        command.exportProfile = URL(fileURLWithPath: "/tmp/p.json")
        command.exportTimes = URL(fileURLWithPath: "/tmp/t.json")
        command.separateProfileRun = true
        #expect(
            try command.arguments(for: v10) == [
                "--onnx=/models/resnet18.onnx", "--saveEngine=/tmp/m.engine", "--shapes=aux:8x4,input:8x3x224x224",
                "--fp16", "--memPoolSize=workspace:1024M", "--iterations=200", "--duration=5", "--warmUp=500",
                "--exportProfile=/tmp/p.json", "--exportTimes=/tmp/t.json", "--separateProfileRun",
            ])
    }

    @Test func release7NeedsExplicitBatchForONNX() throws {
        #expect(try TrtexecCommand(onnx: model).arguments(for: v7) == ["--onnx=/models/resnet18.onnx", "--explicitBatch"])
        #expect(try TrtexecCommand(onnx: model).arguments(for: v86) == ["--onnx=/models/resnet18.onnx"])
    }

    @Test func workspaceFlagDependsOnRelease() throws {
        var command = TrtexecCommand(onnx: model)
        command.workspaceMiB = 256
        #expect(try command.arguments(for: v82).contains("--workspace=256"))
        #expect(try command.arguments(for: v86).contains("--memPoolSize=workspace:256M"))
    }

    @Test func precisionFlagsUpToRelease10() throws {
        var command = TrtexecCommand(onnx: model)
        command.precision = .int8
        #expect(try command.arguments(for: v86).contains("--int8"))
        #expect(try command.arguments(for: v10).contains("--int8"))
        command.precision = .fp32
        #expect(try command.arguments(for: v11) == ["--onnx=/models/resnet18.onnx"])
    }

    @Test func release11RejectsPrecisionFlags() {
        var command = TrtexecCommand(onnx: model)
        command.precision = .fp16
        do {
            _ = try command.arguments(for: v11)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("strongly typed"))
        }
    }

    @Test func implicitBatchRemovedInRelease10() throws {
        var command = TrtexecCommand(loadEngine: URL(fileURLWithPath: "/tmp/m.engine"))
        command.batch = 16
        #expect(try command.arguments(for: v86) == ["--loadEngine=/tmp/m.engine", "--batch=16"])
        #expect(throws: BackendError.self) { try command.arguments(for: v10) }
    }
}

@Suite struct TrtexecReportTests {
    @Test func profileJSONOfEachLayer() throws {
        let json = """
            [
              { "count" : 100 }
            , { "name" : "conv1 + relu1", "timeMs" : 12.5, "averageMs" : 0.125, "medianMs" : 0.12, "percentage" : 62.5 }
            , { "name" : "fc", "timeMs" : 7.5, "averageMs" : 0.075, "percentage" : 37.5 }
            ]
            """
        let profile = try TrtexecProfile.parse(Data(json.utf8))
        #expect(profile.iterations == 100)
        #expect(profile.layers.map(\.name) == ["conv1 + relu1", "fc"])
        #expect(profile.layers[0].medianMilliseconds == 0.12)
        #expect(profile.layers[1].medianMilliseconds == nil)
        #expect(profile.layers[1].averageMilliseconds == 0.075)
    }

    @Test func malformedProfileIsRejected() {
        #expect(throws: BackendError.self) { try TrtexecProfile.parse(Data("{\"count\": 1}".utf8)) }
        #expect(throws: BackendError.self) { try TrtexecProfile.parse(Data("[{\"name\": \"x\"}]".utf8)) }
    }

    @Test func timesJSONLatencies() throws {
        let json = """
            [
              { "startEnqMs" : 0, "endEnqMs" : 0.1, "latencyMs" : 1.5, "endToEndMs" : 2 }
            , { "startEnqMs" : 2, "endEnqMs" : 2.1, "latencyMs" : 1.25, "endToEndMs" : 1.9 }
            ]
            """
        #expect(try TrtexecTimes.latencies(Data(json.utf8)) == [1.5, 1.25])
    }

    @Test func timedStatisticsSkipWarmUp() throws {
        let json = """
            [
              { "startComputeMs" : 10, "latencyMs" : 9 }
            , { "startComputeMs" : 200, "latencyMs" : 2 }
            , { "startComputeMs" : 202, "latencyMs" : 4 }
            ]
            """
        let timings = try TrtexecTimes.timings(Data(json.utf8))
        let statistics = TrtexecTimes.timedStatistics(timings, warmUpMilliseconds: 200)
        #expect(statistics.min == 2)
        #expect(statistics.max == 4)
        #expect(statistics.mean == 3)
    }
}
