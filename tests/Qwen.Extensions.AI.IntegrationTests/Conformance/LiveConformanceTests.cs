namespace Qwen.Extensions.AI.IntegrationTests.Conformance;

/// <summary>The same checklist against DashScope; skipped without DASHSCOPE_API_KEY.</summary>
public sealed class LiveConformanceTests : ChatConformanceCases
{
    protected override async Task<ConformanceTarget> CreateTargetAsync() => await Task.FromResult<ConformanceTarget>(new LiveTarget());

    [LiveFact]
    public Task SingleRequestMessage() => SingleRequestMessageCase();

    [LiveFact]
    public Task MultipleRequestMessages() => MultipleRequestMessagesCase();

    [LiveFact]
    public Task EmptyMessagesTolerated() => EmptyMessagesToleratedCase();

    [LiveFact]
    public Task StreamingText() => StreamingTextCase();

    [LiveFact]
    public Task UsageNonStreaming() => UsageNonStreamingCase();

    [LiveFact]
    public Task UsageStreamingExactlyOneUsageContent() => UsageStreamingExactlyOneUsageContentCase();

    [LiveFact]
    public Task AddMessagesAsyncAppendsHistory() => AddMessagesAsyncAppendsHistoryCase();

    [LiveFact]
    public Task ImageRequestCarriesTheImage() => ImageRequestCarriesTheImageCase();

    [LiveFact]
    public Task FunctionInvocationWithParameters() => FunctionInvocationWithParametersCase();

    [LiveFact]
    public Task FunctionInvocationOptionalParameter() => FunctionInvocationOptionalParameterCase();

    [LiveFact]
    public Task FunctionInvocationNestedRecord() => FunctionInvocationNestedRecordCase();

    [LiveFact]
    public Task FunctionInvocationArrayParameter() => FunctionInvocationArrayParameterCase();

    [LiveFact]
    public Task FunctionInvocationParallelCalls() => FunctionInvocationParallelCallsCase();

    [LiveFact]
    public Task ToolModeRequireAny() => ToolModeRequireAnyCase();

    [LiveFact]
    public Task ToolModeRequireSpecific() => ToolModeRequireSpecificCase();

    [LiveFact]
    public Task ThirtyToolSchemasAccepted() => ThirtyToolSchemasAcceptedCase();

    [LiveFact]
    public Task StructuredOutputRecord() => StructuredOutputRecordCase();

    [LiveFact]
    public Task StructuredOutputArray() => StructuredOutputArrayCase();

    [LiveFact]
    public Task StructuredOutputInt() => StructuredOutputIntCase();

    [LiveFact]
    public Task StructuredOutputString() => StructuredOutputStringCase();

    [LiveFact]
    public Task StructuredOutputBool() => StructuredOutputBoolCase();

    [LiveFact]
    public Task StructuredOutputEnum() => StructuredOutputEnumCase();

    [LiveFact]
    public Task DistributedCachingNonStreaming() => DistributedCachingNonStreamingCase();

    [LiveFact]
    public Task DistributedCachingStreaming() => DistributedCachingStreamingCase();

    [LiveFact]
    public Task DistributedCachingBeforeFunctionInvocationAvoidsCalls() => DistributedCachingBeforeFunctionInvocationAvoidsCallsCase();

    [LiveFact]
    public Task DistributedCachingAfterFunctionInvocationSeesNewFunctionOutput() => DistributedCachingAfterFunctionInvocationSeesNewFunctionOutputCase();

    [LiveFact]
    public Task LoggingHasPromptAndAnswerButNeverTheKey() => LoggingHasPromptAndAnswerButNeverTheKeyCase();

    [LiveFact]
    public Task OpenTelemetryEmitsChatActivity() => OpenTelemetryEmitsChatActivityCase();

    [LiveFact]
    public Task SummarizingChatReducerKeepsSystemMessage() => SummarizingChatReducerKeepsSystemMessageCase();
}
