Console.WriteLine("Vision example: not yet");
