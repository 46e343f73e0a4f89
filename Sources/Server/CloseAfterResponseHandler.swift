import HummingbirdCore
import NIOCore

/// Closes the connection once a response carrying `Connection: close` has been written. Hummingbird closes only
/// when the request asked for it; otherwise, after an early answer (413 for a body over the limit, 408 for one too
/// slow, 401), it would go on reading and discarding the rest of the body for as long as the client sends — which
/// would defeat the very limits that refused it.
final class CloseAfterResponseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPConnectionStateHandler.OutboundIn
    typealias OutboundOut = HTTPConnectionStateHandler.OutboundOut

    private var closeAfterEnd = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case let .head(head):
            closeAfterEnd = head.headerFields[.connection]?.lowercased() == "close"
        case .end where closeAfterEnd:
            closeAfterEnd = false
            let written = promise ?? context.eventLoop.makePromise()
            context.write(data, promise: written)
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            return
        default:
            break
        }
        context.write(data, promise: promise)
    }
}
