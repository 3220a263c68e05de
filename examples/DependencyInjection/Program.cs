Console.WriteLine("DependencyInjection example: not yet");
