import Datasets
import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// Builds `.npy` bytes by hand so that header parsing is tested without NumPy.
private func npyBytes(major: UInt8 = 1, header: String, payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0]
    let body = Array((header + "\n").utf8)
    if major == 1 {
        bytes += [UInt8(body.count & 0xFF), UInt8(body.count >> 8)]
    } else {
        bytes += [UInt8(body.count & 0xFF), UInt8((body.count >> 8) & 0xFF), 0, 0]
    }
    return bytes + body + payload
}

private func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}

@Suite struct NpyFileTests {
    @Test func float32RoundTrip() throws {
        let tensor = Tensor<Float>(shape: [2, 3], scalars: [1, -2.5, 3, .infinity, 0, 1e-30])
        let array = try NpyFile.decode(NpyFile.encode(NpyArray(tensor)))
        #expect(array.dtype == .float32)
        #expect(array.floatTensor() == tensor)
    }

    @Test func float64RoundTrip() throws {
        let tensor = Tensor<Double>(shape: [3], scalars: [1.0 / 3.0, -0.0, 1e300])
        #expect(try NpyFile.decode(NpyFile.encode(NpyArray(tensor))).doubleTensor() == tensor)
    }

    @Test func int64RoundTrip() throws {
        let array = NpyArray(shape: [2, 2], int64: [Int64.min, -1, 0, Int64.max])
        #expect(try NpyFile.decode(NpyFile.encode(array)).int64Values() == [Int64.min, -1, 0, Int64.max])
    }

    @Test func scalarRoundTrip() throws {
        let tensor = Tensor<Float>(shape: [], scalars: [42])
        let array = try NpyFile.decode(NpyFile.encode(NpyArray(tensor)))
        #expect(array.shape == [])
        #expect(array.floatValues() == [42])
    }

    @Test func encodedHeaderIsAligned() {
        let bytes = NpyFile.encode(NpyArray(Tensor<Float>(shape: [5, 7], scalars: Array(repeating: 1, count: 35))))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes[10 + headerLength - 1] == 0x0A)
    }

    @Test func writeReplacesFileAtomically() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("a.npy")
        try NpyFile.write(Tensor<Float>(shape: [1], scalars: [1]), to: url)
        try NpyFile.write(Tensor<Float>(shape: [2], scalars: [2, 3]), to: url)
        #expect(try NpyFile.readFloatTensor(url).scalars == [2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.npy"])
    }

    @Test func versionTwoAndThreeHeaders() throws {
        for major: UInt8 in [2, 3] {
            let bytes = npyBytes(
                major: major, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                payload: littleEndianBytes([1.5, -1]))
            #expect(try NpyFile.decode(bytes).floatValues() == [1.5, -1])
        }
    }

    @Test func fortranOrderIsRejected() {
        let bytes = npyBytes(
            header: "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }", payload: littleEndianBytes([1, 2]))
        #expect(throws: DatasetError.fortranOrder(path: "x.npy")) { try NpyFile.decode(bytes, path: "x.npy") }
    }

    @Test func truncatedPayloadIsRejected() {
        let bytes = npyBytes(
            header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", payload: littleEndianBytes([1, 2]))
        #expect(throws: DatasetError.truncated(path: "x.npy", expectedBytes: 12, actualBytes: 8)) {
            try NpyFile.decode(bytes, path: "x.npy")
        }
    }

    @Test func unsupportedDTypesAreRejected() {
        for descr in [">f4", "<c8", "<U3", "|O"] {
            let bytes = npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (0,), }", payload: [])
            #expect(throws: DatasetError.unsupportedDType(path: "x.npy", dtype: descr)) {
                try NpyFile.decode(bytes, path: "x.npy")
            }
        }
    }

    @Test func badMagicNamesField() {
        do {
            _ = try NpyFile.decode(Array("PK\u{3}\u{4}not numpy".utf8), path: "x.npy")
            Issue.record("expected an error")
        } catch let error as DatasetError {
            guard case .invalidHeader(_, let field, _, _) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(field == "magic")
            #expect(error.description.contains("x.npy"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func malformedShapeNamesField() {
        let bytes = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", payload: [])
        do {
            _ = try NpyFile.decode(bytes, path: "x.npy")
            Issue.record("expected an error")
        } catch let error as DatasetError {
            guard case .invalidHeader(_, let field, let value, _) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(field == "shape")
            #expect(value == "x")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unknownVersionIsRejected() {
        let bytes = npyBytes(major: 9, header: "{}", payload: [])
        #expect(throws: DatasetError.self) { try NpyFile.decode(bytes) }
    }
}

/// Files written by NumPy itself, and files of ours read back by NumPy.
@Suite(.enabled(if: TestEnvironment.pythonHasModules(["numpy"]), "needs the oracle Python with numpy (set FACTORIZE_PYTHON)"))
struct NpyNumPyOracleTests {
    @Test func readsEveryDTypeNumPyWrites() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            import numpy as np, sys
            d = sys.argv[1]
            np.save(d + '/f4.npy', np.array([[1.5, -2.0], [3.25, 4.0]], dtype='<f4'))
            np.save(d + '/f8.npy', np.array([0.1, 0.2, 0.3], dtype='<f8'))
            np.save(d + '/i8.npy', np.array([-5, 7], dtype='<i8'))
            np.save(d + '/i4.npy', np.array([[-3], [9]], dtype='<i4'))
            np.save(d + '/u1.npy', np.arange(250, 256, dtype='u1'))
            np.save(d + '/b1.npy', np.array([True, False, True]))
            np.save(d + '/scalar.npy', np.float32(7.5))
            np.save(d + '/empty.npy', np.zeros((0, 3), dtype='<f4'))
            for v in [(2, 0), (3, 0)]:
                with open(d + '/v%d.npy' % v[0], 'wb') as f:
                    np.lib.format.write_array(f, np.arange(6, dtype='<f4').reshape(2, 3), version=v)
            """
        try TestEnvironment.runPython(["-c", script, folder.path])
        func read(_ name: String) throws -> NpyArray { try NpyFile.read(folder.appendingPathComponent(name)) }

        #expect(try read("f4.npy").floatTensor() == Tensor(shape: [2, 2], scalars: [1.5, -2, 3.25, 4]))
        #expect(try read("f8.npy").doubleValues() == [0.1, 0.2, 0.3])
        #expect(try read("i8.npy").int64Values() == [-5, 7])
        #expect(try read("i4.npy").shape == [2, 1])
        #expect(try read("i4.npy").int64Values() == [-3, 9])
        #expect(try read("u1.npy").int64Values() == [250, 251, 252, 253, 254, 255])
        #expect(try read("b1.npy").dtype == .bool)
        #expect(try read("b1.npy").floatValues() == [1, 0, 1])
        #expect(try read("scalar.npy").shape == [])
        #expect(try read("scalar.npy").floatValues() == [7.5])
        #expect(try read("empty.npy").shape == [0, 3])
        #expect(try read("v2.npy").floatTensor() == Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        #expect(try read("v3.npy").floatTensor() == Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
    }

    @Test func numPyReadsWrittenFiles() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try NpyFile.write(Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6.5]), to: folder.appendingPathComponent("f.npy"))
        try NpyFile.write(Tensor<Double>(shape: [], scalars: [0.25]), to: folder.appendingPathComponent("d.npy"))
        try NpyFile.write(NpyArray(shape: [1], int64: [-9]), to: folder.appendingPathComponent("i.npy"))
        let script = """
            import numpy as np, sys
            d = sys.argv[1]
            f, s, i = np.load(d + '/f.npy'), np.load(d + '/d.npy'), np.load(d + '/i.npy')
            print(f.dtype, f.shape, f.sum(), s.dtype, s.shape, float(s), i.dtype, int(i[0]))
            """
        let output = String(decoding: try TestEnvironment.runPython(["-c", script, folder.path]), as: UTF8.self)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "float32 (2, 3) 21.5 float64 () 0.25 int64 -9")
    }
}
