rtl/eie_pkg.sv
rtl/eie_ram.sv
rtl/eie_fifo.sv
rtl/eie_lnzd.sv
rtl/eie_pe.sv
rtl/eie_ccu.sv
rtl/eie_top.sv
