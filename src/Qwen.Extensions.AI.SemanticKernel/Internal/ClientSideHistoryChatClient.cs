using System.Runtime.CompilerServices;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>
/// Keeps Semantic Kernel's tool loop on the history it holds itself: clears the <c>ConversationId</c> the Responses client returns.
/// </summary>
/// <remarks>
/// SK keeps the conversation in its <c>ChatHistory</c>, and its function invocation reads that history while a call runs. When a
/// response carries a <c>ConversationId</c>, the function-invoking client below SK sends only the new messages and keeps no local
/// history, and SK's invocation then fails on the empty history ("Sequence contains no elements"), so every tool call would
/// come back to the model as "Error: Function failed.". Without the id, each request of the loop sends the whole history, as
/// SK expects; responses are still stored on the server unless <c>store</c> is <see langword="false"/>.
/// </remarks>
internal sealed class ClientSideHistoryChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        response.ConversationId = null;
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            update.ConversationId = null;
            yield return update;
        }
    }
}
