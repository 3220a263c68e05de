Console.WriteLine("Thinking example: not yet");
