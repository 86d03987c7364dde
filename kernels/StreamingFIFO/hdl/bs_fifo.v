// bs_fifo: AXI-Stream FIFO of DEPTH words (any DEPTH >= 2), first word fall-through.
// A circular buffer with asynchronous read (maps to LUTRAM); accepts and emits one word per cycle,
// output valid one cycle after the first input handshake.
// `count` (words stored) and `push` (write handshake) keep these names: FIFO sizing's testbench probes them
// hierarchically (simulation only; nothing is added to the hardware).
module bs_fifo #(
  parameter WIDTH = 8,
  parameter DEPTH = 2
) (
  input  wire             clk,
  input  wire             rst_n,
  input  wire [WIDTH-1:0] in_data,
  input  wire             in_valid,
  output wire             in_ready,
  output wire [WIDTH-1:0] out_data,
  output wire             out_valid,
  input  wire             out_ready
);
  localparam AW = (DEPTH <= 2) ? 1 : $clog2(DEPTH);
  localparam CW = $clog2(DEPTH + 1);
  localparam integer LAST_I = DEPTH - 1;
  localparam integer DEPTH_I = DEPTH;
  localparam [AW-1:0] LAST = LAST_I[AW-1:0];
  localparam [CW-1:0] FULL = DEPTH_I[CW-1:0];
  localparam [CW-1:0] ONE = {{(CW-1){1'b0}}, 1'b1};
  localparam [AW-1:0] A_ONE = {{(AW-1){1'b0}}, 1'b1};

  reg [WIDTH-1:0] mem [0:DEPTH-1];
  reg [AW-1:0] wptr, rptr;
  reg [CW-1:0] count;

  wire push = in_valid && in_ready;
  wire pop = out_valid && out_ready;

  assign in_ready = count != FULL;
  assign out_valid = count != {CW{1'b0}};
  assign out_data = mem[rptr];

  always @(posedge clk) begin
    if (push) mem[wptr] <= in_data;
  end

  always @(posedge clk) begin
    if (!rst_n) begin
      wptr <= {AW{1'b0}};
      rptr <= {AW{1'b0}};
      count <= {CW{1'b0}};
    end else begin
      if (push) wptr <= (wptr == LAST) ? {AW{1'b0}} : wptr + A_ONE;
      if (pop) rptr <= (rptr == LAST) ? {AW{1'b0}} : rptr + A_ONE;
      if (push && !pop) count <= count + ONE;
      else if (pop && !push) count <= count - ONE;
    end
  end
endmodule
