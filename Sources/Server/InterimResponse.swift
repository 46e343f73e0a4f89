import NIOCore

/// `Expect: 100-continue`: clients such as curl hold back a large body until the server says `100 Continue`
/// (waiting a whole second otherwise). Hummingbird has no hook for interim responses in route handlers, so the
/// upload route writes one itself, once it has checked the token, the content type and the declared length,
/// through a handler at the socket end of the connection's pipeline (ahead of the HTTP encoder, which never
/// sees it).
enum InterimResponse {
    /// Holds the pipeline position next to the socket. NIO wants every handler inbound or outbound: this one is
    /// outbound and passes every write through untouched.
    final class SocketEnd: ChannelOutboundHandler, RemovableChannelHandler {
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        var context: ChannelHandlerContext?

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }
        func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }
    }

    static func sendContinue(on channel: any Channel) async {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute {
            do {
                let operations = channel.pipeline.syncOperations
                let socketEnd: SocketEnd
                if let existing = try? operations.handler(type: SocketEnd.self) {
                    socketEnd = existing
                } else {
                    socketEnd = SocketEnd()
                    try operations.addHandler(socketEnd, position: .first)
                }
                guard let context = socketEnd.context else { return promise.succeed(()) }
                var buffer = context.channel.allocator.buffer(capacity: 32)
                buffer.writeString("HTTP/1.1 100 Continue\r\n\r\n")
                context.writeAndFlush(NIOAny(buffer), promise: promise)
            } catch {
                promise.fail(error)
            }
        }
        // A failure means the connection is gone; reading the body will tell.
        try? await promise.futureResult.get()
    }
}
