using Microsoft.OpenApi;

namespace WinterAI.Web.Admin;

public static class AdminServiceCollectionExtensions
{
    public const string SecurityScheme = "AdminKey";

    /// <summary>The admin API, its key check and its Swagger document (served at /swagger).</summary>
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.Section));
        services.AddScoped<AdminKeyFilter>();
        services.AddSingleton<AdminStats>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminStats>());
        services.AddSingleton<FollowerInspector>();
        services.AddSingleton<EffectiveConfiguration>();
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "WinterAI admin API",
                Version = "v1",
                Description = "Operator API of the WinterAI WeChat ↔ Dify gateway. Authorize with the Admin:ApiKey value.",
            });
            swagger.AddSecurityDefinition(SecurityScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = AdminKeyFilter.Header,
                Description = "The value of Admin:ApiKey.",
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [],
            });
            var xml = Path.Combine(AppContext.BaseDirectory, "WinterAI.Web.xml");
            if (File.Exists(xml))
            {
                swagger.IncludeXmlComments(xml);
            }
        });
        return builder;
    }

    public static WebApplication UseAdmin(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui => ui.DocumentTitle = "WinterAI admin API");
        return app;
    }
}
