Console.WriteLine("Tools example: not yet");
