// placeholder so the module library is never empty
namespace doudi::registry {}
