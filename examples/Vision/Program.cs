using Microsoft.Extensions.AI;

// Vision: a local image file (sent as a base64 data URI) and an image URL, to a Qwen-VL model.
await using var session = await ExampleSession.StartAsync("qwen-vl-plus");
using IChatClient client = session.CreateClient();

var imagePath = Path.Combine(AppContext.BaseDirectory, "assets", "sunset.png");
var local = new ChatMessage(ChatRole.User,
[
    new TextContent("Describe this picture in one sentence."),
    new DataContent(await File.ReadAllBytesAsync(imagePath), "image/png"),
]);
Console.WriteLine();
Console.WriteLine($"> Describe {Path.GetFileName(imagePath)} ({new FileInfo(imagePath).Length} bytes)");
Console.WriteLine((await client.GetResponseAsync([local])).Text);

var remote = new ChatMessage(ChatRole.User,
[
    new TextContent("What animals are in this photo?"),
    new UriContent(new Uri("https://dashscope.oss-cn-beijing.aliyuncs.com/images/dog_and_girl.jpeg"), "image/jpeg"),
]);
Console.WriteLine();
Console.WriteLine("> What animals are in the photo at the URL? (streamed)");
await foreach (var update in client.GetStreamingResponseAsync([remote]))
{
    Console.Write(update.Text);
}

Console.WriteLine();
