Console.WriteLine("StructuredOutput example: not yet");
