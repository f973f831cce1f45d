import Testing
@testable import ONNX

@Test func oNNXModuleLoads() {
    #expect(Bool(true))
}
