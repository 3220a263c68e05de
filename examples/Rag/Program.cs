using System.Numerics.Tensors;
using System.Text;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI;

// Retrieval-augmented generation in a few lines: embed a handful of documents with QwenEmbeddingGenerator, pick the one nearest
// to the question by cosine similarity, and answer with chat from it. Then the same document the qwen-long way: uploaded with
// QwenFileClient and referenced with HostedFileContent (the service reads the file; nothing is pasted into the prompt).
await using var example = await ExampleSession.StartAsync("qwen-plus");
using IChatClient chat = example.CreateClient();
using IEmbeddingGenerator<string, Embedding<float>> embedder =
    new QwenEmbeddingGenerator(new QwenClientOptions { ApiKey = example.ApiKey, Endpoint = example.Endpoint, DefaultModelId = "text-embedding-v4" });

string[] documents =
[
    "Returns: you can return any product within 30 days of delivery for a full refund.",
    "Shipping: orders to Hangzhou and Shanghai arrive in two to three working days.",
    "Warranty: electronics carry a two-year warranty against manufacturing defects.",
    "Store hours: the West Lake store opens at nine and closes at nine, every day.",
    "Gift cards: gift cards never expire and can be used online or in any store.",
];
const string Question = "How many days do I have to return a product for a refund?";

// One call embeds every document (the generator batches to the service's limit of 10 per request); one more embeds the question.
var vectors = await embedder.GenerateAsync(documents);
var question = (await embedder.GenerateAsync([Question]))[0];
Console.WriteLine($"Embedded {vectors.Count} documents ({vectors[0].Vector.Length} dimensions, {vectors.Usage?.InputTokenCount} tokens).");

var ranked = documents
    .Select((text, i) => (Text: text, Score: TensorPrimitives.CosineSimilarity(question.Vector.Span, vectors[i].Vector.Span)))
    .OrderByDescending(d => d.Score)
    .ToList();
foreach (var (text, score) in ranked)
{
    Console.WriteLine($"  {score:0.000}  {text}");
}

var nearest = ranked[0].Text;
Console.WriteLine();
Console.WriteLine($"> {Question}");
Console.WriteLine($"[nearest] {nearest}");
var answer = await chat.GetResponseAsync(
[
    new ChatMessage(ChatRole.System, "Answer the question from the context only, in one sentence."),
    new ChatMessage(ChatRole.User, $"Context: {nearest}\n\nQuestion: {Question}"),
]);
Console.WriteLine(answer.Text);

// The qwen-long way: upload the documents as one file, then ask about it. qwen-long (and qwen-doc-turbo) read fileid:// documents;
// it is documented for the Beijing region, so live on another endpoint this part may be refused.
Console.WriteLine();
Console.WriteLine("> (qwen-long, the documents uploaded as policies.txt) How long does shipping to Hangzhou take?");
#pragma warning disable MEAI001 // IHostedFileClient is experimental in Microsoft.Extensions.AI.
using IHostedFileClient files = new QwenFileClient(new QwenClientOptions { ApiKey = example.ApiKey, Endpoint = example.Endpoint });
HostedFileContent? uploaded = null;
try
{
    uploaded = await files.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", documents))), "text/plain", "policies.txt");
    Console.WriteLine($"[uploaded] {uploaded.FileId} ({uploaded.SizeInBytes} bytes, status {uploaded.AdditionalProperties?[QwenFileClient.StatusPropertyName]})");
    var fromFile = await chat.GetResponseAsync(
        [new ChatMessage(ChatRole.User, [uploaded, new TextContent("How long does shipping to Hangzhou take?")])],
        new ChatOptions { ModelId = "qwen-long" });
    Console.WriteLine(fromFile.Text);
}
catch (QwenApiException ex) when (!example.IsOffline)
{
    Console.WriteLine($"[qwen-long part skipped] {ex.Message}");
}
finally
{
    if (uploaded is not null)
    {
        Console.WriteLine($"[deleted] {await files.DeleteAsync(uploaded.FileId)}");
    }
}
#pragma warning restore MEAI001
