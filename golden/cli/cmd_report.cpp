// eie report: a model file's compression report, as text or JSON.
#include <fmt/format.h>

#include "cli.h"
#include "eie/file_io.h"
#include "eie/model_file.h"
#include "eie/report.h"

namespace eie::cli {

int run_report(const std::vector<std::string>& args) {
  po::options_description opts("options");
  opts.add_options()("model", po::value<std::string>()->required(), "model file")(
      "json", "print JSON instead of the text table")(
      "output,o", po::value<std::string>()->default_value("-"),
      "write the report to this file (- : standard output)")(
      "force", "write the output even where it is the model file");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_args(args, "eie report MODEL.eie [--json] [-o FILE]", opts, pos, vm)) return kExitOk;
  const std::string model_path = vm["model"].as<std::string>();
  const std::string out = vm["output"].as<std::string>();
  check_outputs({{"--output", out}}, {{"MODEL", model_path}}, vm.count("force") > 0);
  const ModelFile model = read_model(model_path);
  const CompressionReport report = make_report(model);
  const std::string text =
      vm.count("json") ? format_report_json(report) : format_report_text(report);
  write_output(out, std::vector<uint8_t>(text.begin(), text.end()));
  return kExitOk;
}

}  // namespace eie::cli
