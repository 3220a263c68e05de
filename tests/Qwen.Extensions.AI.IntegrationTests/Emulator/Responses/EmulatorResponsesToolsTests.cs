using System.Net;
using System.Text.Json;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator.Responses;

/// <summary>
/// Tools on the emulator's <c>/responses</c> (dashscope-more.md §1.5, §1.6, §1.8, §1.9): deterministic built-in tools with the documented
/// items, events and <c>x_tools</c> counts; function tools chosen by the chat emulator's rule; <c>tool_choice</c>.
/// </summary>
public sealed class EmulatorResponsesToolsTests : IAsyncLifetime
{
    private const string WeatherTool = """{"type":"function","name":"get_current_weather","description":"Get the current weather of a city","parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}""";

    private const string TimeTool = """{"type":"function","name":"get_local_time","description":"Get the local time","parameters":{"type":"object","properties":{}}}""";

    private ResponsesHttp _http = null!;

    public async Task InitializeAsync() => _http = await ResponsesHttp.StartAsync();

    public async Task DisposeAsync() => await _http.DisposeAsync();

    [Fact]
    public async Task WebSearchReturnsFixedSourcesOnlyOnTheDoneItem()
    {
        var request = """{"model":"qwen3.5-plus","input":"Search the web for the latest Qwen news","tools":[{"type":"web_search"}],"stream":true}""";

        var (_, frames, _) = await _http.StreamAsync(request);
        var (_, body) = await _http.PostAsync(request.Replace(",\"stream\":true", string.Empty, StringComparison.Ordinal));

        var added = frames.First(f => f.Type == "response.output_item.added" && ItemType(f) == "web_search_call");
        var done = frames.First(f => f.Type == "response.output_item.done" && ItemType(f) == "web_search_call");
        Shape.Covers(ResponsesDocExamples.WebSearchStream[2], added.Json);
        Shape.Covers(ResponsesDocExamples.WebSearchStream[5], done.Json);
        Assert.False(added.Json.GetProperty("item").GetProperty("action").TryGetProperty("sources", out _));
        var action = done.Json.GetProperty("item").GetProperty("action");
        Assert.Equal(["https://cn.aliyun.com/", "https://www.aliyun.com/"], action.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
        Assert.All(action.GetProperty("sources").EnumerateArray(), s => Assert.Equal("url", s.GetProperty("type").GetString()));
        Assert.Equal(action.GetProperty("query").GetString(), Assert.Single(action.GetProperty("queries").EnumerateArray()).GetString());
        var types = frames.Select(f => f.Type).ToList();
        var at = types.IndexOf("response.web_search_call.in_progress");
        Assert.Equal(["response.web_search_call.in_progress", "response.web_search_call.searching", "response.web_search_call.completed", "response.output_item.done"], types.Skip(at).Take(4));
        Shape.Covers(ResponsesDocExamples.WebSearchStream[3], frames[at].Json);
        Shape.Covers(ResponsesDocExamples.WebSearchStream[4], frames[at + 2].Json);

        Assert.Equal(["web_search_call", "message"], Types(body));
        Assert.Equal(1, body.GetProperty("usage").GetProperty("x_tools").GetProperty("web_search").GetProperty("count").GetInt32());
        Assert.Empty(body.GetProperty("output")[1].GetProperty("content")[0].GetProperty("annotations").EnumerateArray());
    }

    [Fact]
    public async Task WebExtractorReadsTheUrlTheUserAsksFor()
    {
        var (_, body) = await _http.PostAsync("""{"model":"qwen3.5-plus","input":"Extract the key information from https://example.com/pricing","tools":[{"type":"web_search"},{"type":"web_extractor"}]}""");

        Assert.Equal(["web_search_call", "web_extractor_call", "message"], Types(body));
        var extractor = body.GetProperty("output")[1];
        Shape.Covers(ResponsesDocExamples.WebExtractorItem, extractor);
        Assert.Equal("https://example.com/pricing", Assert.Single(extractor.GetProperty("urls").EnumerateArray()).GetString());
        Assert.Equal(1, body.GetProperty("usage").GetProperty("x_tools").GetProperty("web_extractor").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task WebExtractorWithoutWebSearchFailsInAnHttp200Body()
    {
        var (status, body) = await _http.PostAsync("""{"model":"qwen3.5-plus","input":"Extract https://example.com","tools":[{"type":"web_extractor"}]}""");
        var (streamStatus, frames, _) = await _http.StreamAsync("""{"model":"qwen3.5-plus","input":"Extract https://example.com","tools":[{"type":"web_extractor"}],"stream":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal("<400> InternalError.Algo.InvalidParameter: The web_extractor tool must be executed with web_search tool.", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, streamStatus);
        Assert.Equal("response.failed", Assert.Single(frames).Type);
    }

    [Fact]
    public async Task CodeInterpreterEvaluatesTheArithmeticOfTheInput()
    {
        var (_, frames, _) = await _http.StreamAsync("""{"model":"qwen3.5-plus","input":"Use code to compute 123 * 4","tools":[{"type":"code_interpreter"}],"stream":true}""");

        var added = frames.First(f => f.Type == "response.output_item.added" && ItemType(f) == "code_interpreter_call").Json.GetProperty("item");
        var done = frames.First(f => f.Type == "response.output_item.done" && ItemType(f) == "code_interpreter_call").Json.GetProperty("item");
        Assert.Equal("print(123 * 4)", added.GetProperty("code").GetString());
        Assert.False(added.TryGetProperty("outputs", out _));
        Shape.Covers(ResponsesDocExamples.CodeInterpreterItem, done);
        Assert.Equal("492\n", done.GetProperty("outputs")[0].GetProperty("logs").GetString());
        var types = frames.Select(f => f.Type).ToList();
        Assert.Contains("response.code_interpreter_call.in_progress", types);
        Assert.Contains("response.code_interpreter_call.interpreting", types);
        Assert.Contains("response.code_interpreter_call.completed", types);
        var completed = frames[^1].Json.GetProperty("response");
        Assert.Contains("492", completed.GetProperty("output").EnumerateArray().Last().GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, completed.GetProperty("usage").GetProperty("x_tools").GetProperty("code_interpreter").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task CodeInterpreterInNormalModeFails()
    {
        var (status, body) = await _http.PostAsync("""{"model":"qwen3.5-plus","input":"compute 1 + 1","tools":[{"type":"code_interpreter"}],"reasoning":{"effort":"none"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal("Normal mode does not support Code interpreter. Please set enable_thinking to true.", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task FileSearchReturnsTheFixedHitsOfTheKnowledgeBase()
    {
        var (_, frames, _) = await _http.StreamAsync("""{"model":"qwen3.5-plus","input":"What does the knowledge base say about storage?","tools":[{"type":"file_search","vector_store_ids":["kb_123"]}],"stream":true}""");

        var done = frames.First(f => f.Type == "response.output_item.done" && ItemType(f) == "file_search_call").Json.GetProperty("item");
        Shape.Covers(ResponsesDocExamples.FileSearchItem, done);
        Assert.Equal(["file_emulator_overview", "file_emulator_faq"], done.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("file_id").GetString()));
        var types = frames.Select(f => f.Type).ToList();
        Assert.Contains("response.file_search_call.searching", types);
        Assert.Equal(1, frames[^1].Json.GetProperty("response").GetProperty("usage").GetProperty("x_tools").GetProperty("file_search").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task McpCallEchoesItsArguments()
    {
        var (_, frames, _) = await _http.StreamAsync("""{"model":"qwen3.5-plus","input":"Ask amap-maps about Beijing","tools":[{"type":"mcp","server_protocol":"sse","server_label":"amap-maps","server_description":"maps","server_url":"https://dashscope.aliyuncs.com/api/v1/mcps/amap-maps/sse","headers":{"Authorization":"Bearer x"}}],"stream":true}""");

        var done = frames.First(f => f.Type == "response.output_item.done" && ItemType(f) == "mcp_call").Json.GetProperty("item");
        Shape.Covers(ResponsesDocExamples.McpItem, done);
        Assert.Equal("amap-maps", done.GetProperty("server_label").GetString());
        Assert.Equal("""{"text":"Ask amap-maps about Beijing"}""", done.GetProperty("arguments").GetString());
        Assert.Equal(done.GetProperty("arguments").GetString(), done.GetProperty("output").GetString());
        var types = frames.Select(f => f.Type).ToList();
        var at = types.IndexOf("response.mcp_call.in_progress");
        Assert.Equal(["response.mcp_call.in_progress", "response.mcp_call_arguments.delta", "response.mcp_call_arguments.done", "response.mcp_call.completed"], types.Skip(at).Take(4));
        Assert.Equal(done.GetProperty("arguments").GetString(), frames[at + 2].Json.GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task McpToolWithoutItsRequiredFieldsIsRefused()
    {
        var (status, body) = await _http.PostAsync("""{"model":"qwen3.5-plus","input":"x","tools":[{"type":"mcp","server_label":"a"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("server_url", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionToolLoopCallsThenAnswersFromTheOutput()
    {
        var (_, first) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":[{"role":"user","content":"What is the current weather in Beijing?"}],"tools":[{{WeatherTool}}]}""");
        var call = Assert.Single(first.GetProperty("output").EnumerateArray());
        Shape.Covers(ResponsesDocExamples.FunctionCallItem, call);
        Assert.Equal("get_current_weather", call.GetProperty("name").GetString());
        Assert.Equal("""{"location":"Beijing"}""", call.GetProperty("arguments").GetString());
        var callId = call.GetProperty("call_id").GetString();
        Assert.StartsWith("call_", callId, StringComparison.Ordinal);

        // The documented loop: the whole array again, with the call echoed and its output (no previous_response_id) [doc RZ].
        var (_, second) = await _http.PostAsync($$"""
            {"model":"qwen3.5-plus","tools":[{{WeatherTool}}],"input":[
              {"role":"user","content":"What is the current weather in Beijing?"},
              {"type":"function_call","name":"get_current_weather","arguments":"{\"location\": \"Beijing\"}","call_id":"{{callId}}"},
              {"type":"function_call_output","call_id":"{{callId}}","output":"Sunny, 25 degrees."}]}
            """);

        Assert.Equal(["message"], Types(second));
        Assert.Contains("get_current_weather returned Sunny, 25 degrees.", second.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionToolLoopContinuesByPreviousResponseId()
    {
        var (_, first) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"What is the current weather in Beijing?","tools":[{{WeatherTool}}]}""");
        var callId = first.GetProperty("output")[0].GetProperty("call_id").GetString();

        var (_, second) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","previous_response_id":"{{first.GetProperty("id").GetString()}}","tools":[{{WeatherTool}}],"input":[{"type":"function_call_output","call_id":"{{callId}}","output":"Rainy."}]}""");

        Assert.Equal(["message"], Types(second));
        Assert.Contains("get_current_weather returned Rainy.", second.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionCallStreamsAsAddedAndDoneItems()
    {
        var (_, frames, _) = await _http.StreamAsync($$"""{"model":"qwen3.5-plus","input":"What is the current weather in Beijing?","tools":[{{WeatherTool}}],"stream":true}""");

        var added = frames.Single(f => f.Type == "response.output_item.added").Json.GetProperty("item");
        var done = frames.Single(f => f.Type == "response.output_item.done").Json.GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal(added.GetProperty("call_id").GetString(), done.GetProperty("call_id").GetString());
        Assert.Equal("""{"location":"Beijing"}""", done.GetProperty("arguments").GetString());
        Assert.Equal("response.completed", frames[^1].Type);
    }

    [Fact]
    public async Task ToolChoiceNoneCallsNothing()
    {
        var (_, body) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"Search the web for the current weather in Beijing","tools":[{{WeatherTool}},{"type":"web_search"}],"tool_choice":"none"}""");

        Assert.Equal(["message"], Types(body));
        Assert.Equal("none", body.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public async Task ToolChoiceRequiredNeedsExactlyOneTool()
    {
        var (status, body) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"hi","tools":[{{WeatherTool}},{{TimeTool}}],"tool_choice":"required"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("exactly one tool", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolChoiceRequiredCallsTheOneToolEvenForAnUnrelatedPrompt()
    {
        var (_, function) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"Hello there","tools":[{{TimeTool}}],"tool_choice":"required"}""");
        var (_, builtIn) = await _http.PostAsync("""{"model":"qwen3.5-plus","input":"Hello there","tools":[{"type":"web_search"}],"tool_choice":"required"}""");

        Assert.Equal(["function_call"], Types(function));
        Assert.Equal("required", function.GetProperty("tool_choice").GetString());
        Assert.Equal(["web_search_call", "message"], Types(builtIn));
    }

    [Fact]
    public async Task AllowedToolsRestrictAndForceTheChoice()
    {
        var (_, restricted) = await _http.PostAsync($$$"""{"model":"qwen3.5-plus","input":"What is the current weather in Beijing?","tools":[{{{WeatherTool}}},{{{TimeTool}}}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"get_local_time"}]}}""");
        var (_, forced) = await _http.PostAsync($$$"""{"model":"qwen3.5-plus","input":"Hello there","tools":[{{{WeatherTool}}},{{{TimeTool}}}],"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"get_local_time"}]}}""");

        Assert.Equal(["message"], Types(restricted));
        Assert.Equal("auto", restricted.GetProperty("tool_choice").GetString());
        Assert.Equal("get_local_time", Assert.Single(forced.GetProperty("output").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("required", forced.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public async Task BuiltInToolsRunOnceThenTheFunctionCallEndsTheTurn()
    {
        var (_, body) = await _http.PostAsync($$"""{"model":"qwen3.8-max","input":"please search the web, then tell me the current weather in Beijing","tools":[{"type":"web_search"},{{WeatherTool}}]}""");

        Assert.Equal(["reasoning", "web_search_call", "function_call"], Types(body));
        Assert.Equal("""{"location":"Beijing"}""", body.GetProperty("output")[2].GetProperty("arguments").GetString());
        var callId = body.GetProperty("output")[2].GetProperty("call_id").GetString();
        var (_, next) = await _http.PostAsync($$"""{"model":"qwen3.8-max","previous_response_id":"{{body.GetProperty("id").GetString()}}","tools":[{"type":"web_search"},{{WeatherTool}}],"input":[{"type":"function_call_output","call_id":"{{callId}}","output":"Sunny."}]}""");

        Assert.Equal(["reasoning", "message"], Types(next));
    }

    private static string? ItemType(SseFrame frame) => frame.Json.GetProperty("item").GetProperty("type").GetString();

    private static List<string?> Types(JsonElement response) => [.. response.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("type").GetString())];
}
