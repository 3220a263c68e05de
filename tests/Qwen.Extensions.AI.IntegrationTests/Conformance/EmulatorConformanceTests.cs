namespace Qwen.Extensions.AI.IntegrationTests.Conformance;

/// <summary>The conformance checklist over real sockets against the loopback emulator.</summary>
public sealed class EmulatorConformanceTests : ChatConformanceCases
{
    protected override async Task<ConformanceTarget> CreateTargetAsync() => await EmulatorTarget.StartAsync();

    [Fact]
    public Task SingleRequestMessage() => SingleRequestMessageCase();

    [Fact]
    public Task MultipleRequestMessages() => MultipleRequestMessagesCase();

    [Fact]
    public Task EmptyMessagesTolerated() => EmptyMessagesToleratedCase();

    [Fact]
    public Task StreamingText() => StreamingTextCase();

    [Fact]
    public Task UsageNonStreaming() => UsageNonStreamingCase();

    [Fact]
    public Task UsageStreamingExactlyOneUsageContent() => UsageStreamingExactlyOneUsageContentCase();

    [Fact]
    public Task AddMessagesAsyncAppendsHistory() => AddMessagesAsyncAppendsHistoryCase();

    [Fact]
    public Task ImageRequestCarriesTheImage() => ImageRequestCarriesTheImageCase();

    [Fact]
    public Task FunctionInvocationWithParameters() => FunctionInvocationWithParametersCase();

    [Fact]
    public Task FunctionInvocationOptionalParameter() => FunctionInvocationOptionalParameterCase();

    [Fact]
    public Task FunctionInvocationNestedRecord() => FunctionInvocationNestedRecordCase();

    [Fact]
    public Task FunctionInvocationArrayParameter() => FunctionInvocationArrayParameterCase();

    [Fact]
    public Task FunctionInvocationParallelCalls() => FunctionInvocationParallelCallsCase();

    [Fact]
    public Task ToolModeRequireAny() => ToolModeRequireAnyCase();

    [Fact]
    public Task ToolModeRequireSpecific() => ToolModeRequireSpecificCase();

    [Fact]
    public Task ThirtyToolSchemasAccepted() => ThirtyToolSchemasAcceptedCase();

    [Fact]
    public Task StructuredOutputRecord() => StructuredOutputRecordCase();

    [Fact]
    public Task StructuredOutputArray() => StructuredOutputArrayCase();

    [Fact]
    public Task StructuredOutputInt() => StructuredOutputIntCase();

    [Fact]
    public Task StructuredOutputString() => StructuredOutputStringCase();

    [Fact]
    public Task StructuredOutputBool() => StructuredOutputBoolCase();

    [Fact]
    public Task StructuredOutputEnum() => StructuredOutputEnumCase();

    [Fact]
    public Task DistributedCachingNonStreaming() => DistributedCachingNonStreamingCase();

    [Fact]
    public Task DistributedCachingStreaming() => DistributedCachingStreamingCase();

    [Fact]
    public Task DistributedCachingBeforeFunctionInvocationAvoidsCalls() => DistributedCachingBeforeFunctionInvocationAvoidsCallsCase();

    [Fact]
    public Task DistributedCachingAfterFunctionInvocationSeesNewFunctionOutput() => DistributedCachingAfterFunctionInvocationSeesNewFunctionOutputCase();

    [Fact]
    public Task LoggingHasPromptAndAnswerButNeverTheKey() => LoggingHasPromptAndAnswerButNeverTheKeyCase();

    [Fact]
    public Task OpenTelemetryEmitsChatActivity() => OpenTelemetryEmitsChatActivityCase();

    [Fact]
    public Task SummarizingChatReducerKeepsSystemMessage() => SummarizingChatReducerKeepsSystemMessageCase();
}
