using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>
/// Semantic Kernel's own <see cref="IChatClient"/> bridge (<c>AsChatCompletionService</c>, which converts settings and drives
/// <c>KernelChatOptions</c> for the auto-function-invocation filters), plus reasoning: each result whose metadata carries
/// <see cref="QwenMetadataKeys.Reasoning"/> also gets a <c>ReasoningContent</c> / <c>StreamingReasoningContent</c> item first.
/// </summary>
#pragma warning disable SKEXP0110 // ReasoningContent is experimental in SK; it is what SK users look for.
internal sealed class QwenChatCompletionService(IChatClient chatClient, IServiceProvider? serviceProvider) : IChatCompletionService
{
    private readonly IChatCompletionService _inner = chatClient.AsChatCompletionService(serviceProvider);

    public IReadOnlyDictionary<string, object?> Attributes => _inner.Attributes;

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var before = chatHistory.Count;
        var results = await _inner.GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false);

        // Intermediate messages of a tool loop are added to the history by SK; they can carry reasoning too.
        for (var i = before; i < chatHistory.Count; i++)
        {
            AddReasoningItem(chatHistory[i]);
        }

        foreach (var result in results)
        {
            AddReasoningItem(result);
        }

        return results;
    }

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in _inner.GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false))
        {
            if (update.Metadata?.TryGetValue(QwenMetadataKeys.Reasoning, out var value) is true && value is string { Length: > 0 } text &&
                !update.Items.OfType<StreamingReasoningContent>().Any())
            {
                update.Items.Insert(0, new StreamingReasoningContent(text) { ModelId = update.ModelId });
            }

            yield return update;
        }
    }

    private static void AddReasoningItem(ChatMessageContent message)
    {
        if (message.Metadata?.TryGetValue(QwenMetadataKeys.Reasoning, out var value) is true && value is string { Length: > 0 } text &&
            !message.Items.OfType<ReasoningContent>().Any())
        {
            message.Items.Insert(0, new ReasoningContent(text) { ModelId = message.ModelId });
        }
    }
}
#pragma warning restore SKEXP0110
