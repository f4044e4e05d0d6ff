using WinterAI.Web;
using WinterAI.Web.Infrastructure;

if (args is [HealthProbe.Flag])
{
    return await HealthProbe.RunAsync();
}

await WinterAIApplication.Build(args).RunAsync();
return 0;

public partial class Program;
